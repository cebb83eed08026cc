import Sluice

/// Writes JSON (an array of objects, one object per line inside it) or JSON Lines (one object per line).
///
/// Every column is written, NULL as `null`. Numbers are unquoted; decimals are JSON numbers with their exact
/// text at the column's scale; dates, timestamps and bytes (hex) are strings; json columns are written as the
/// JSON they hold.
final class JSONWriter: RecordWriter {
    let schema: Schema
    private let isLines: Bool
    private var buffer: OutputBuffer
    private let keys: [[UInt8]]
    private var rowsWritten = 0

    init(schema: Schema, output: any ByteSink, isLines: Bool) {
        self.schema = schema
        self.isLines = isLines
        buffer = OutputBuffer(output: output)
        keys = schema.columns.map { column in
            var key: [UInt8] = []
            JSONWriter.appendString(column.name, to: &key)
            key.append(UInt8(ascii: ":"))
            return key
        }
    }

    func write(_ batch: RecordBatch) throws {
        for row in 0..<batch.count {
            if !isLines { buffer.bytes.append(contentsOf: rowsWritten == 0 ? [0x5B, 0x0A] : [0x2C, 0x0A]) }
            rowsWritten += 1
            buffer.bytes.append(UInt8(ascii: "{"))
            for (index, column) in batch.columns.enumerated() {
                if index > 0 { buffer.bytes.append(UInt8(ascii: ",")) }
                buffer.bytes.append(contentsOf: keys[index])
                appendValue(column, row: row)
            }
            buffer.bytes.append(UInt8(ascii: "}"))
            if isLines { buffer.bytes.append(0x0A) }
            try buffer.flushIfFull()
        }
    }

    func finish() throws {
        if !isLines { buffer.append(rowsWritten == 0 ? "[]\n" : "\n]\n") }
        try buffer.flush()
        try buffer.output.finish()
    }

    private func appendValue(_ column: ColumnValues, row: Int) {
        guard !column.isNull(row) else { return buffer.append("null") }
        switch column {
        case .string(let vector): JSONWriter.appendString(vector.values[row], to: &buffer.bytes)
        case .json(let vector): buffer.bytes.append(contentsOf: vector.values[row].utf8)
        case .double(let vector) where !vector.values[row].isFinite: buffer.append("null")
        case .date, .timestamp, .bytes:
            buffer.bytes.append(0x22)
            ValueText.appendScalar(column, row: row, to: &buffer.bytes)
            buffer.bytes.append(0x22)
        default: ValueText.appendScalar(column, row: row, to: &buffer.bytes)
        }
    }

    /// Appends `text` as a JSON string: quotes, backslashes and control characters escaped, UTF-8 kept.
    static func appendString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(0x22)
        for byte in text.utf8 {
            switch byte {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [
                    0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
                ])
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
    }
}
