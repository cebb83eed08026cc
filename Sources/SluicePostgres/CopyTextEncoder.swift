import NIOCore
import Sluice

/// Encodes rows in PostgreSQL's `COPY … FROM STDIN (FORMAT text)` format straight into a `ByteBuffer`: fields
/// separated by tabs, rows ended by a newline, `\N` for NULL, and backslash, tab, newline and carriage return
/// escaped with a backslash.
///
/// Values are written from the batch's typed columns without building a `String` per value: decimals at the
/// column's scale, dates `YYYY-MM-DD`, timestamps ISO 8601 UTC with six fraction digits, `bytea` as `\\x` and hex
/// digits, booleans `t`/`f`.
public struct CopyTextEncoder: Sendable {
    private var scratch: [UInt8] = []

    /// Creates an encoder.
    public init() {
        scratch.reserveCapacity(64)
    }

    static let null: [UInt8] = Array(#"\N"#.utf8)
    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends row `row` of `batch`: every column, tab-separated, then a newline.
    public mutating func appendRow(_ row: Int, of batch: RecordBatch, to buffer: inout ByteBuffer) {
        for (index, column) in batch.columns.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            appendValue(column, row: row, to: &buffer)
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    /// Appends the field of row `row` of `column` (no delimiter).
    public mutating func appendValue(_ column: ColumnValues, row: Int, to buffer: inout ByteBuffer) {
        if column.isNull(row) {
            buffer.writeBytes(Self.null)
            return
        }
        switch column {
        case .bool(let vector): buffer.writeInteger(vector.values[row] ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        case .int64(let vector): appendInteger(vector.values[row], to: &buffer)
        case .double(let vector): Self.appendDouble(vector.values[row], to: &buffer)
        case .decimal(let vector, let scale):
            DecimalText.withText(vector.values[row], scale: scale) { _ = buffer.writeBytes($0) }
        case .string(let vector): Self.appendEscaped(vector.values[row], to: &buffer)
        case .json(let vector): Self.appendEscaped(vector.values[row], to: &buffer)
        case .date(let vector):
            CivilDate.withText(daysSinceEpoch: vector.values[row]) { _ = buffer.writeBytes($0) }
        case .timestamp(let vector):
            scratch.removeAll(keepingCapacity: true)
            Timestamp.append(microsecondsSinceEpoch: vector.values[row], to: &scratch)
            buffer.writeBytes(scratch)
        case .bytes(let vector): Self.appendBytea(vector.values[row], to: &buffer)
        }
    }

    /// Appends an integer in decimal.
    public mutating func appendInteger(_ value: Int64, to buffer: inout ByteBuffer) {
        DecimalText.withText(value) { _ = buffer.writeBytes($0) }
    }

    /// Appends a double as Swift's shortest round-trip text (`Infinity`, `-Infinity`, `NaN` for the specials).
    static func appendDouble(_ value: Double, to buffer: inout ByteBuffer) {
        if value.isNaN {
            buffer.writeStaticString("NaN")
        } else if value.isInfinite {
            buffer.writeStaticString(value < 0 ? "-Infinity" : "Infinity")
        } else {
            var text = value.description
            text.withUTF8 { _ = buffer.writeBytes($0) }
        }
    }

    /// Appends text with COPY's escapes: backslash, tab, newline and carriage return.
    public static func appendEscaped(_ text: String, to buffer: inout ByteBuffer) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for index in 0..<bytes.count {
                let escape: UInt8
                switch bytes[index] {
                case UInt8(ascii: "\\"): escape = UInt8(ascii: "\\")
                case UInt8(ascii: "\t"): escape = UInt8(ascii: "t")
                case UInt8(ascii: "\n"): escape = UInt8(ascii: "n")
                case UInt8(ascii: "\r"): escape = UInt8(ascii: "r")
                default: continue
                }
                if index > start {
                    buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<index])))
                }
                buffer.writeInteger(UInt8(ascii: "\\"))
                buffer.writeInteger(escape)
                start = index + 1
            }
            if start < bytes.count {
                buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start...])))
            }
        }
    }

    /// Appends `bytea` in hex form as COPY text needs it: `\\x` followed by two hex digits per byte.
    public static func appendBytea(_ bytes: some Collection<UInt8>, to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\\"))
        buffer.writeInteger(UInt8(ascii: "\\"))
        buffer.writeInteger(UInt8(ascii: "x"))
        for byte in bytes {
            buffer.writeInteger(hexDigits[Int(byte >> 4)])
            buffer.writeInteger(hexDigits[Int(byte & 0x0F)])
        }
    }

    /// Appends a row digest as `bytea` (32 bytes, big-endian), written in one piece.
    public static func appendDigest(_ digest: ContentChecksum, to buffer: inout ByteBuffer) {
        let limbs = digest.limbs
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 67) { text in
            text[0] = UInt8(ascii: "\\")
            text[1] = UInt8(ascii: "\\")
            text[2] = UInt8(ascii: "x")
            for (index, limb) in [limbs.0, limbs.1, limbs.2, limbs.3].enumerated() {
                var value = limb
                for digit in stride(from: 15, through: 0, by: -1) {
                    text[3 + index * 16 + digit] = hexDigits[Int(value & 0x0F)]
                    value >>= 4
                }
            }
            buffer.writeBytes(UnsafeRawBufferPointer(text))
        }
    }
}
