import Crypto

/// Computes the digest of a row from its values: the unit of every ``ContentChecksum``.
///
/// The canonical encoding (a file format; see `docs/Checksums.md`): columns in byte order of their names; for
/// each column, its name as a 4-byte big-endian length and UTF-8 bytes, then a type tag byte (0 for NULL, else
/// 1 bool, 2 int64, 3 double, 4 decimal, 5 string, 6 date, 7 timestamp, 8 bytes, 9 json), then — unless NULL —
/// the canonical text of the value as a 4-byte big-endian length and its bytes: `true`/`false`; integers in
/// decimal; doubles as Swift's shortest round-trip text; decimals at the column's scale (`123.4500`); dates
/// `YYYY-MM-DD`; timestamps as microseconds since the epoch in decimal; strings and JSON as UTF-8; bytes raw.
/// The row digest is the SHA-256 of that encoding read as a big-endian 256-bit number.
public struct RowDigester: Sendable {
    /// The schema whose rows are digested.
    public let schema: Schema
    private let order: [Int]
    private let encodedNames: [[UInt8]]

    /// Creates a digester for rows of `schema`.
    public init(schema: Schema) {
        self.schema = schema
        let order = schema.columns.indices.sorted {
            Array(schema.columns[$0].name.utf8).lexicographicallyPrecedes(Array(schema.columns[$1].name.utf8))
        }
        self.order = order
        self.encodedNames = order.map { index in
            var bytes: [UInt8] = []
            RowDigester.appendLengthPrefixed(Array(schema.columns[index].name.utf8), to: &bytes)
            return bytes
        }
    }

    /// The digest of row `row` of `batch` (whose schema must be this digester's).
    public func digest(row: Int, of batch: RecordBatch, buffer: inout [UInt8]) -> ContentChecksum {
        buffer.removeAll(keepingCapacity: true)
        for (position, column) in order.enumerated() {
            buffer.append(contentsOf: encodedNames[position])
            RowDigester.appendCanonical(batch.columns[column], row: row, to: &buffer)
        }
        return RowDigester.sum(of: buffer)
    }

    /// The digest of a row given as values in schema order.
    public func digest(values: [Value]) -> ContentChecksum {
        var buffer: [UInt8] = []
        for (position, column) in order.enumerated() {
            buffer.append(contentsOf: encodedNames[position])
            RowDigester.appendCanonical(values[column], type: schema.columns[column].type, to: &buffer)
        }
        return RowDigester.sum(of: buffer)
    }

    /// The sum of the digests of every row of `batch`.
    public func checksum(of batch: RecordBatch) -> ContentChecksum {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(256)
        var sum = ContentChecksum.zero
        for row in 0..<batch.count { sum.add(digest(row: row, of: batch, buffer: &buffer)) }
        return sum
    }

    // MARK: Canonical encoding

    static func sum(of encoding: [UInt8]) -> ContentChecksum {
        SHA256.hash(data: encoding).withUnsafeBytes { ContentChecksum(digestBytes: $0) }
    }

    static let trueText = Array("true".utf8)
    static let falseText = Array("false".utf8)

    /// Appends the decimal digits of `value` (a `-` first for negatives), length-prefixed.
    static func appendInteger(_ value: Int64, to buffer: inout [UInt8]) {
        appendText({ bytes in DecimalText.withText(value) { bytes.append(contentsOf: $0) } }, to: &buffer)
    }

    static func appendLengthPrefixed(_ bytes: some Collection<UInt8>, to buffer: inout [UInt8]) {
        let length = UInt32(bytes.count)
        buffer.append(UInt8(length >> 24))
        buffer.append(UInt8(length >> 16 & 0xFF))
        buffer.append(UInt8(length >> 8 & 0xFF))
        buffer.append(UInt8(length & 0xFF))
        buffer.append(contentsOf: bytes)
    }

    static func appendText(_ body: (inout [UInt8]) -> Void, to buffer: inout [UInt8]) {
        let start = buffer.count
        buffer.append(contentsOf: [0, 0, 0, 0])
        body(&buffer)
        let length = UInt32(buffer.count - start - 4)
        buffer[start] = UInt8(length >> 24)
        buffer[start + 1] = UInt8(length >> 16 & 0xFF)
        buffer[start + 2] = UInt8(length >> 8 & 0xFF)
        buffer[start + 3] = UInt8(length & 0xFF)
    }

    static func appendCanonical(_ column: ColumnValues, row: Int, to buffer: inout [UInt8]) {
        switch column {
        case .bool(let vector):
            guard let value = vector[row] else { return buffer.append(0) }
            buffer.append(1)
            appendLengthPrefixed(value ? trueText : falseText, to: &buffer)
        case .int64(let vector):
            guard let value = vector[row] else { return buffer.append(0) }
            buffer.append(2)
            appendInteger(value, to: &buffer)
        case .double(let vector):
            guard let value = vector[row] else { return buffer.append(0) }
            buffer.append(3)
            appendLengthPrefixed(Array(String(value).utf8), to: &buffer)
        case .decimal(let vector, let scale):
            guard let value = vector[row] else { return buffer.append(0) }
            buffer.append(4)
            appendText({ DecimalText.append(value, scale: scale, to: &$0) }, to: &buffer)
        case .string(let vector):
            guard let value = vector[row] else { return buffer.append(0) }
            buffer.append(5)
            appendLengthPrefixed(value.utf8, to: &buffer)
        case .date(let vector):
            guard let value = vector[row] else { return buffer.append(0) }
            buffer.append(6)
            appendText({ CivilDate.append(daysSinceEpoch: value, to: &$0) }, to: &buffer)
        case .timestamp(let vector):
            guard let value = vector[row] else { return buffer.append(0) }
            buffer.append(7)
            appendInteger(value, to: &buffer)
        case .bytes(let vector):
            guard let value = vector[row] else { return buffer.append(0) }
            buffer.append(8)
            appendLengthPrefixed(value, to: &buffer)
        case .json(let vector):
            guard let value = vector[row] else { return buffer.append(0) }
            buffer.append(9)
            appendLengthPrefixed(value.utf8, to: &buffer)
        }
    }

    static func appendCanonical(_ value: Value, type: ColumnType, to buffer: inout [UInt8]) {
        var column = ColumnValues(type: type, capacity: 1)
        switch (ValueConversion.convert(value, to: type) ?? .null, column) {
        case (.null, _): return buffer.append(0)
        case (.bool(let v), .bool(var c)):
            c.append(v)
            column = .bool(c)
        case (.int64(let v), .int64(var c)):
            c.append(v)
            column = .int64(c)
        case (.double(let v), .double(var c)):
            c.append(v)
            column = .double(c)
        case (.decimal(let v), .decimal(var c, let scale)):
            c.append(v.significand)
            column = .decimal(c, scale: scale)
        case (.string(let v), .string(var c)):
            c.append(v)
            column = .string(c)
        case (.date(let v), .date(var c)):
            c.append(v.daysSinceEpoch)
            column = .date(c)
        case (.timestamp(let v), .timestamp(var c)):
            c.append(v.microsecondsSinceEpoch)
            column = .timestamp(c)
        case (.bytes(let v), .bytes(var c)):
            c.append(v)
            column = .bytes(c)
        case (.json(let v), .json(var c)):
            c.append(v)
            column = .json(c)
        default: return buffer.append(0)
        }
        appendCanonical(column, row: 0, to: &buffer)
    }
}
