import Sluice
import SluiceFormats

/// The MessagePack encoding of rows (https://github.com/msgpack/msgpack/blob/master/spec.md): a map from column
/// name to value.
enum MessagePack {
    /// Appends row `row` of `batch` as a map of `names[i]` → column `i`'s value.
    static func appendRow(_ row: Int, of batch: RecordBatch, names: [[UInt8]], to bytes: inout [UInt8]) {
        appendMapHeader(batch.columns.count, to: &bytes)
        for (index, column) in batch.columns.enumerated() {
            appendString(names[index], to: &bytes)
            appendValue(column, row: row, to: &bytes)
        }
    }

    static func appendValue(_ column: ColumnValues, row: Int, to bytes: inout [UInt8]) {
        guard !column.isNull(row) else { return bytes.append(0xC0) }
        switch column {
        case .bool(let vector): bytes.append(vector.values[row] ? 0xC3 : 0xC2)
        case .int64(let vector): appendInteger(vector.values[row], to: &bytes)
        case .double(let vector):
            bytes.append(0xCB)
            appendBigEndian(vector.values[row].bitPattern, to: &bytes)
        case .string(let vector), .json(let vector): appendString(Array(vector.values[row].utf8), to: &bytes)
        case .bytes(let vector):
            let value = vector.values[row]
            if value.count < 1 << 8 {
                bytes.append(contentsOf: [0xC4, UInt8(value.count)])
            } else if value.count < 1 << 16 {
                bytes.append(0xC5)
                appendBigEndian(UInt16(value.count), to: &bytes)
            } else {
                bytes.append(0xC6)
                appendBigEndian(UInt32(value.count), to: &bytes)
            }
            bytes.append(contentsOf: value)
        case .timestamp(let vector):
            // Timestamp extension, 96-bit form: nanoseconds (u32) then seconds (i64).
            let micros = vector.values[row]
            var seconds = micros / 1_000_000
            var remainder = micros % 1_000_000
            if remainder < 0 {
                seconds -= 1
                remainder += 1_000_000
            }
            bytes.append(contentsOf: [0xC7, 12, 0xFF])
            appendBigEndian(UInt32(remainder * 1_000), to: &bytes)
            appendBigEndian(UInt64(bitPattern: seconds), to: &bytes)
        case .decimal, .date:
            var text: [UInt8] = []
            JSONRowEncoder.appendText(column, row: row, to: &text)
            appendString(text, to: &bytes)
        }
    }

    static func appendMapHeader(_ count: Int, to bytes: inout [UInt8]) {
        if count < 16 {
            bytes.append(0x80 | UInt8(count))
        } else if count < 1 << 16 {
            bytes.append(0xDE)
            appendBigEndian(UInt16(count), to: &bytes)
        } else {
            bytes.append(0xDF)
            appendBigEndian(UInt32(count), to: &bytes)
        }
    }

    static func appendString(_ utf8: [UInt8], to bytes: inout [UInt8]) {
        let count = utf8.count
        if count < 32 {
            bytes.append(0xA0 | UInt8(count))
        } else if count < 1 << 8 {
            bytes.append(contentsOf: [0xD9, UInt8(count)])
        } else if count < 1 << 16 {
            bytes.append(0xDA)
            appendBigEndian(UInt16(count), to: &bytes)
        } else {
            bytes.append(0xDB)
            appendBigEndian(UInt32(count), to: &bytes)
        }
        bytes.append(contentsOf: utf8)
    }

    static func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
        switch value {
        case 0...127: bytes.append(UInt8(value))
        case -32..<0: bytes.append(UInt8(bitPattern: Int8(value)))
        case Int64(Int32.min)...Int64(Int32.max):
            bytes.append(0xD2)
            appendBigEndian(UInt32(bitPattern: Int32(value)), to: &bytes)
        default:
            bytes.append(0xD3)
            appendBigEndian(UInt64(bitPattern: value), to: &bytes)
        }
    }

    static func appendBigEndian<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
