import Sluice
import SluiceFormats

/// How a row is stored as a Redis value.
public enum CacheValueFormat: Sendable, Hashable, CustomStringConvertible {
    /// A JSON object of every column (the default): `{"symbol":"AAPL","date":"2024-01-02","close":185.6400}`.
    case json
    /// A MessagePack map of every column: compact and binary. Decimals are strings (exact), dates strings,
    /// timestamps the MessagePack timestamp extension (-1), bytes binary.
    case messagePack
    /// The canonical text of one column (`nil`: the table's only column outside the key).
    case string(column: String?)
    /// A Redis hash with a field per column (canonical text; NULL columns are left out).
    case hash

    /// Parses `json`, `msgpack`/`messagepack`, `string`, `string:COLUMN` or `hash`.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`invalidRequest`) for anything else.
    public init(parsing text: String) throws {
        let lowered = text.lowercased()
        switch lowered {
        case "json": self = .json
        case "msgpack", "messagepack": self = .messagePack
        case "string": self = .string(column: nil)
        case "hash": self = .hash
        default:
            if lowered.hasPrefix("string:") {
                self = .string(column: String(text.dropFirst("string:".count)))
            } else {
                throw SluiceError(
                    .invalidRequest,
                    "value format '\(text)': expected json, msgpack, string, string:COLUMN or hash"
                )
            }
        }
    }

    public var description: String {
        switch self {
        case .json: return "json"
        case .messagePack: return "msgpack"
        case .string(let column?): return "string:\(column)"
        case .string(nil): return "string"
        case .hash: return "hash"
        }
    }
}

/// Encodes rows as values in one ``CacheValueFormat``.
public struct CacheValueEncoder: Sendable {
    /// The format.
    public let format: CacheValueFormat
    private let schema: Schema
    private let json: JSONRowEncoder
    /// The column a plain string value holds (``CacheValueFormat/string(column:)``), else `nil`.
    public let stringColumn: Int?
    private let fieldNames: [[UInt8]]

    /// An encoder of rows of `schema` keyed by `keyColumns` in `table`.
    ///
    /// - Throws: ``Sluice/SluiceError`` when a string value has no single column to hold.
    public init(format: CacheValueFormat, schema: Schema, keyColumns: [String], table: String) throws {
        self.format = format
        self.schema = schema
        json = JSONRowEncoder(schema: schema)
        fieldNames = schema.columns.map { Array($0.name.utf8) }
        switch format {
        case .string(let column?):
            guard let index = schema.index(of: column) else {
                throw SluiceError(
                    .invalidRequest,
                    "value format string:\(column): table '\(table)' has no column '\(column)' "
                        + "(columns: \(schema.columnNames.joined(separator: ", ")))"
                )
            }
            stringColumn = index
        case .string(nil):
            let values = schema.columns.indices.filter { !keyColumns.contains(schema.columns[$0].name) }
            guard values.count == 1 else {
                throw SluiceError(
                    .invalidRequest,
                    "value format string: table '\(table)' has \(values.count) columns outside the key; "
                        + "name the one to store with string:COLUMN"
                )
            }
            stringColumn = values[0]
        default:
            stringColumn = nil
        }
    }

    /// Whether values are hashes (written with `HSET`) rather than strings (`SET`).
    public var isHash: Bool { format == .hash }

    /// Appends the value of row `row` of `batch` (JSON, MessagePack or string formats).
    public func appendValue(row: Int, of batch: RecordBatch, to bytes: inout [UInt8]) {
        switch format {
        case .json: json.append(row: row, of: batch, to: &bytes)
        case .messagePack: MessagePack.appendRow(row, of: batch, names: fieldNames, to: &bytes)
        case .string: JSONRowEncoder.appendText(batch.columns[stringColumn ?? 0], row: row, to: &bytes)
        case .hash: json.append(row: row, of: batch, to: &bytes)
        }
    }

    /// The hash fields of row `row` of `batch`: name and canonical text of every non-NULL column, in order.
    public func fields(row: Int, of batch: RecordBatch) -> [(name: [UInt8], value: [UInt8])] {
        var fields: [(name: [UInt8], value: [UInt8])] = []
        fields.reserveCapacity(batch.columns.count)
        for (index, column) in batch.columns.enumerated() where !column.isNull(row) {
            var value: [UInt8] = []
            JSONRowEncoder.appendText(column, row: row, to: &value)
            fields.append((fieldNames[index], value))
        }
        return fields
    }
}
