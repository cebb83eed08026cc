import Sluice

/// JSON Lines in memory decoded into a batch of a known schema, by the same reader as JSON files: how the
/// cache target reads JSON values back.
public enum JSONLines {
    /// The objects of `bytes` (one per line) as rows of `schema`. Rows that do not fit the schema are the
    /// batch's rejects, naming `source` and the line.
    public static func decode(_ bytes: [UInt8], schema: Schema, source: String) throws -> RecordBatch {
        let input = try ByteInput(bytes: bytes, name: source)
        var window = ByteWindow(input: input, readSize: max(bytes.count, 1 << 16))
        _ = try window.refill()
        var reader = JSONReader(
            parser: JSONObjectParser(path: source, window: window),
            schema: schema,
            batchSize: bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        )
        if let batch = try reader.next() { return batch }
        var empty = RecordBatchBuilder(schema: schema, source: source)
        return empty.build()
    }
}
