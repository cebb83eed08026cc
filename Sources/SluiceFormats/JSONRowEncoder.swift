import Sluice

/// Encodes one row as a JSON object, exactly as the JSON writers do (decimals as exact numbers, dates,
/// timestamps and bytes as strings, json columns as the JSON they hold, NULL as `null`): for caches and other
/// targets that store a row per value.
public struct JSONRowEncoder: Sendable {
    private let columns: [Int]
    private let keys: [[UInt8]]

    /// An encoder for rows of `schema`, writing the columns at `columns` (default: all, in schema order).
    public init(schema: Schema, columns: [Int]? = nil) {
        let chosen = columns ?? Array(schema.columns.indices)
        self.columns = chosen
        keys = chosen.map { index in
            var key: [UInt8] = []
            JSONWriter.appendString(schema.columns[index].name, to: &key)
            key.append(UInt8(ascii: ":"))
            return key
        }
    }

    /// Appends row `row` of `batch` (of this encoder's schema) as one JSON object.
    public func append(row: Int, of batch: RecordBatch, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "{"))
        for (position, index) in columns.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: keys[position])
            JSONWriter.appendValue(batch.columns[index], row: row, to: &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Appends the value of column `column` in row `row` as its canonical text, without JSON quoting: what a
    /// plain string value or a hash field holds. NULL appends nothing.
    public static func appendText(_ column: ColumnValues, row: Int, to bytes: inout [UInt8]) {
        guard !column.isNull(row) else { return }
        switch column {
        case .string(let vector), .json(let vector): bytes.append(contentsOf: vector.values[row].utf8)
        case .bytes(let vector): bytes.append(contentsOf: vector.values[row])
        default: ValueText.appendScalar(column, row: row, to: &bytes)
        }
    }
}
