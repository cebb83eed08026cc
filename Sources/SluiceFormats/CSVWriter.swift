import Sluice

/// Writes CSV (or TSV) per RFC 4180: a header row, fields quoted only where needed (a delimiter, quote, CR or
/// LF inside), quotes doubled, NULL as an empty field, the empty string as `""`, LF line ends.
final class CSVWriter: RecordWriter {
    let schema: Schema
    private let delimiter: UInt8
    private var buffer: OutputBuffer
    private var wroteHeader = false

    init(schema: Schema, output: any ByteSink, delimiter: UInt8) {
        self.schema = schema
        self.delimiter = delimiter
        buffer = OutputBuffer(output: output)
    }

    func write(_ batch: RecordBatch) throws {
        writeHeaderOnce()
        let columns = batch.columns
        for row in 0..<batch.count {
            for (index, column) in columns.enumerated() {
                if index > 0 { buffer.bytes.append(delimiter) }
                guard !column.isNull(row) else { continue }
                switch column {
                case .string(let vector), .json(let vector): appendText(vector.values[row])
                default: ValueText.appendScalar(column, row: row, to: &buffer.bytes)
                }
            }
            buffer.bytes.append(0x0A)
            try buffer.flushIfFull()
        }
    }

    func finish() throws {
        writeHeaderOnce()
        try buffer.flush()
        try buffer.output.finish()
    }

    private func writeHeaderOnce() {
        guard !wroteHeader else { return }
        wroteHeader = true
        for (index, column) in schema.columns.enumerated() {
            if index > 0 { buffer.bytes.append(delimiter) }
            appendText(column.name)
        }
        buffer.bytes.append(0x0A)
    }

    private func appendText(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            guard !utf8.isEmpty else {
                buffer.bytes.append(contentsOf: [0x22, 0x22])
                return
            }
            let delimiter = self.delimiter
            guard utf8.contains(where: { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
                buffer.bytes.append(contentsOf: utf8)
                return
            }
            buffer.bytes.append(0x22)
            for byte in utf8 {
                if byte == 0x22 { buffer.bytes.append(0x22) }
                buffer.bytes.append(byte)
            }
            buffer.bytes.append(0x22)
        }
    }
}
