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
        // Encode into a local buffer: no exclusivity check per byte on the class's stored property.
        var bytes = buffer.bytes
        buffer.bytes = []
        defer { buffer.bytes = bytes }
        for row in 0..<batch.count {
            if !isLines { bytes.append(contentsOf: rowsWritten == 0 ? [0x5B, 0x0A] : [0x2C, 0x0A]) }
            rowsWritten += 1
            bytes.append(UInt8(ascii: "{"))
            for index in batch.columns.indices {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes.append(contentsOf: keys[index])
                JSONWriter.appendValue(batch.columns[index], row: row, to: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
            if isLines { bytes.append(0x0A) }
            if bytes.count >= OutputBuffer.flushSize {
                buffer.bytes = bytes
                try buffer.flush()
                bytes = buffer.bytes
                buffer.bytes = []
            }
        }
    }

    func finish() throws {
        if !isLines { buffer.append(rowsWritten == 0 ? "[]\n" : "\n]\n") }
        try buffer.flush()
        try buffer.output.finish()
    }

    static func appendValue(_ column: ColumnValues, row: Int, to bytes: inout [UInt8]) {
        guard !column.isNull(row) else { return bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }
        switch column {
        case .string(let vector): appendString(vector.values[row], to: &bytes)
        case .json(let vector) where vector.values[row].isEmpty: bytes.append(contentsOf: [0x22, 0x22])
        case .json(let vector): bytes.append(contentsOf: vector.values[row].utf8)
        case .double(let vector) where !vector.values[row].isFinite: bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .date, .timestamp, .bytes:
            bytes.append(0x22)
            ValueText.appendScalar(column, row: row, to: &bytes)
            bytes.append(0x22)
        default: ValueText.appendScalar(column, row: row, to: &bytes)
        }
    }

    /// Appends `text` as a JSON string: quotes, backslashes and control characters escaped, UTF-8 kept.
    static func appendString(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(0x22)
        var text = text
        text.withUTF8 { utf8 in
            if !utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
                bytes.append(contentsOf: utf8)
            } else {
                appendEscaped(utf8, to: &bytes)
            }
        }
        bytes.append(0x22)
    }

    private static func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        for byte in utf8 {
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
    }
}
