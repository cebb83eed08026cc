import Foundation

/// Turns `Encodable` values into ``RecordBatch``es: `struct StockPrice: Codable` in, columns out.
///
/// Properties map to columns by their coding keys, in the order the first value encodes them. Swift types map
/// to column types: `String` → string, integers → int64, `Double`/`Float` → double, `Bool` → bool,
/// `ExactDecimal` and Foundation's `Decimal` → decimal (scale: the most fraction digits seen), ``CivilDate`` →
/// date, ``Timestamp`` and `Date` → timestamp, `[UInt8]`/`Data` → bytes, anything nested → json. `nil` is NULL.
public struct RecordEncoder: Sendable {
    /// Creates an encoder.
    public init() {}

    /// Encodes `values` into rows of ``Value``s keyed by column name, keeping the first value's key order.
    public func encodeRows<Record: Encodable>(_ values: [Record]) throws -> (names: [String], rows: [[String: Value]]) {
        var names: [String] = []
        var seen: Set<String> = []
        var rows: [[String: Value]] = []
        rows.reserveCapacity(values.count)
        for value in values {
            let storage = RowStorage()
            try value.encode(to: RowEncoder(storage: storage))
            for name in storage.order where !seen.contains(name) {
                seen.insert(name)
                names.append(name)
            }
            rows.append(storage.values)
        }
        return (names, rows)
    }

    /// The schema the rows imply: each column's type from its non-NULL values.
    public func inferSchema(names: [String], rows: [[String: Value]], keyColumns: [String]) -> Schema {
        var columns: [Column] = []
        for name in names {
            var type: ColumnType = .string
            var scale = 0
            var digits = 0
            var sawDecimal = false
            for row in rows {
                guard let value = row[name], !value.isNull else { continue }
                switch value {
                case .decimal(let decimal):
                    sawDecimal = true
                    scale = max(scale, decimal.scale)
                    digits = max(digits, decimal.digitCount - decimal.scale)
                case .bool: type = .bool
                case .int64: type = .int64
                case .double: type = .double
                case .string: type = .string
                case .date: type = .date
                case .timestamp: type = .timestamp
                case .bytes: type = .bytes
                case .json: type = .json
                case .null: continue
                }
                if !sawDecimal { break }
            }
            if sawDecimal { type = .decimal(precision: digits + scale <= 18 ? 18 : 38, scale: scale) }
            columns.append(Column(name, type))
        }
        return Schema(columns: columns, keyColumns: keyColumns)
    }

    /// Encodes `values` into batches of at most `batchSize` rows of `schema` (or the inferred schema).
    public func encode<Record: Encodable>(
        _ values: [Record],
        schema: Schema? = nil,
        keyColumns: [String] = [],
        source: String = "swift",
        batchSize: Int = 4096
    ) throws -> (schema: Schema, batches: [RecordBatch]) {
        let (names, rows) = try encodeRows(values)
        let schema = schema ?? inferSchema(names: names, rows: rows, keyColumns: keyColumns)
        var batches: [RecordBatch] = []
        var builder = RecordBatchBuilder(schema: schema, source: source, capacity: min(batchSize, rows.count))
        for (index, row) in rows.enumerated() {
            do {
                for (column, definition) in schema.columns.enumerated() {
                    try builder.append(row[definition.name] ?? .null, column: column, line: index + 1)
                }
                builder.endRow(line: index + 1)
            } catch {
                builder.rejectRow(error)
            }
            if builder.count >= batchSize { batches.append(builder.build()) }
        }
        if builder.count > 0 || builder.rejectCount > 0 || batches.isEmpty { batches.append(builder.build()) }
        return (schema, batches)
    }
}

// MARK: - The Encoder

private final class RowStorage {
    var order: [String] = []
    var values: [String: Value] = [:]

    func set(_ value: Value, for key: String) {
        if values.updateValue(value, forKey: key) == nil { order.append(key) }
    }
}

private struct RowEncoder: Encoder {
    let storage: RowStorage
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(RowContainer<Key>(storage: storage))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        preconditionFailure("a record must encode as a keyed container (a struct or class with properties)")
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        preconditionFailure("a record must encode as a keyed container (a struct or class with properties)")
    }
}

private struct RowContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let storage: RowStorage
    var codingPath: [any CodingKey] = []

    mutating func encodeNil(forKey key: Key) throws { storage.set(.null, for: key.stringValue) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { storage.set(.bool(value), for: key.stringValue) }
    mutating func encode(_ value: String, forKey key: Key) throws { storage.set(.string(value), for: key.stringValue) }
    mutating func encode(_ value: Double, forKey key: Key) throws { storage.set(.double(value), for: key.stringValue) }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        storage.set(.double(Double(value)), for: key.stringValue)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        storage.set(.int64(Int64(value)), for: key.stringValue)
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
        storage.set(.int64(Int64(value)), for: key.stringValue)
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        storage.set(.int64(Int64(value)), for: key.stringValue)
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        storage.set(.int64(Int64(value)), for: key.stringValue)
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws { storage.set(.int64(value), for: key.stringValue) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try encodeUnsigned(UInt64(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try encodeUnsigned(UInt64(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try encodeUnsigned(UInt64(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try encodeUnsigned(UInt64(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try encodeUnsigned(value, key) }

    private func encodeUnsigned(_ value: UInt64, _ key: Key) throws {
        guard let signed = Int64(exactly: value) else {
            throw SluiceError(.invalidRequest, "field '\(key.stringValue)': \(value) does not fit int64")
        }
        storage.set(.int64(signed), for: key.stringValue)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        storage.set(try Self.value(of: value), for: key.stringValue)
    }

    static func value<T: Encodable>(of value: T) throws -> Value {
        switch value {
        case let decimal as ExactDecimal: return .decimal(decimal)
        case let date as CivilDate: return .date(date)
        case let timestamp as Timestamp: return .timestamp(timestamp)
        case let decimal as Decimal:
            guard let exact = ExactDecimal(decimal.description) else {
                throw SluiceError(.invalidRequest, "decimal \(decimal) does not fit 38 digits")
            }
            return .decimal(exact)
        case let date as Date:
            return .timestamp(
                Timestamp(microsecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1_000_000).rounded()))
            )
        case let data as Data: return .bytes(Array(data))
        case let bytes as [UInt8]: return .bytes(bytes)
        case let url as URL: return .string(url.absoluteString)
        default:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let data = try encoder.encode(value)
            let text = String(decoding: data, as: UTF8.self)
            if text.hasPrefix("\""), let string = try? JSONDecoder().decode(String.self, from: data) {
                return .string(string)
            }
            return .json(text)
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        preconditionFailure("nested containers are encoded as json through encode(_:forKey:)")
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        preconditionFailure("nested containers are encoded as json through encode(_:forKey:)")
    }

    mutating func superEncoder() -> any Encoder { RowEncoder(storage: storage) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { RowEncoder(storage: storage) }
}
