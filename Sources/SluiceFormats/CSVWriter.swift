import Sluice

/// Writes CSV (or TSV) per RFC 4180: a header row, fields quoted only where needed (a delimiter, quote, CR or
/// LF inside), quotes doubled, NULL as an empty field, the empty string (and empty bytes) as `""`, bytes as hex, LF line ends.
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
        // Encode into a local buffer: no exclusivity check per byte on the class's stored property.
        var bytes = buffer.bytes
        buffer.bytes = []
        defer { buffer.bytes = bytes }
        for row in 0..<batch.count {
            for index in batch.columns.indices {
                if index > 0 { bytes.append(delimiter) }
                let column = batch.columns[index]
                guard !column.isNull(row) else { continue }
                switch column {
                case .string(let vector), .json(let vector): CSVWriter.appendText(vector.values[row], delimiter, &bytes)
                case .bytes(let vector) where vector.values[row].isEmpty: bytes.append(contentsOf: [0x22, 0x22])
                default: ValueText.appendScalar(column, row: row, to: &bytes)
                }
            }
            bytes.append(0x0A)
            if bytes.count >= OutputBuffer.flushSize {
                buffer.bytes = bytes
                try buffer.flush()
                bytes = buffer.bytes
                buffer.bytes = []
            }
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
            CSVWriter.appendText(column.name, delimiter, &buffer.bytes)
        }
        buffer.bytes.append(0x0A)
    }

    /// Appends `text` as a field: as is, or quoted with doubled quotes when it holds the delimiter, a quote, CR or
    /// LF; the empty string as `""`.
    private static func appendText(_ text: String, _ delimiter: UInt8, _ bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            guard !utf8.isEmpty else {
                bytes.append(contentsOf: [0x22, 0x22])
                return
            }
            guard utf8.contains(where: { $0 == delimiter || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
                bytes.append(contentsOf: utf8)
                return
            }
            bytes.append(0x22)
            for byte in utf8 {
                if byte == 0x22 { bytes.append(0x22) }
                bytes.append(byte)
            }
            bytes.append(0x22)
        }
    }
}
