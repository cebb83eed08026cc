extension Loader {
    /// Loads `Codable` values: `try await loader.load(prices, into: "stock_prices", strategy: .upsert)`.
    ///
    /// Columns come from the values' coding keys; the schema is inferred from all values unless given. With
    /// no `key`, keyed strategies use the key of the existing table, or `Record.keyColumns` when `Record`
    /// conforms to ``KeyedRecord``.
    public func load<Record: Encodable & Sendable>(
        _ records: [Record],
        into table: String,
        key: [String] = [],
        strategy: LoadingStrategy = .append,
        schema: Schema? = nil,
        source: String = "swift",
        options: LoadRequest? = nil
    ) async throws -> LoadResult {
        let key = key.isEmpty ? ((Record.self as? any KeyedRecord.Type)?.keyColumns ?? []) : key
        let encoded = try RecordEncoder().encode(records, schema: schema, keyColumns: key, source: source)
        var request = options ?? LoadRequest(table: table)
        request.table = table
        request.strategy = strategy
        if request.keyColumns.isEmpty { request.keyColumns = key }
        if request.source == nil { request.source = source }
        let stream = RecordStream(schema: encoded.schema, source: source, batches: encoded.batches)
        return try await load(stream, request: request)
    }

    /// Loads an `AsyncSequence` of batches (the output of the collection and transformation stages).
    public func load<Batches: AsyncSequence & Sendable>(
        _ batches: Batches,
        schema: Schema,
        into table: String,
        key: [String] = [],
        strategy: LoadingStrategy = .append,
        source: String = "stream"
    ) async throws -> LoadResult where Batches.Element == RecordBatch {
        let stream = RecordStream(schema: schema, source: source, batches)
        return try await load(
            stream,
            request: LoadRequest(
                table: table,
                strategy: strategy,
                keyColumns: key,
                source: source
            )
        )
    }
}

/// A record type that names its natural key, so loads need no `key:` argument.
public protocol KeyedRecord: Encodable {
    /// The coding keys of the key columns, in order.
    static var keyColumns: [String] { get }
}
