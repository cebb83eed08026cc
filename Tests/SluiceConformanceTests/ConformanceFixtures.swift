import Sluice
import SluiceTesting
import Testing

/// The prices table every conformance test loads: `symbol, date` keyed, an exact decimal and an integer.
enum Prices {
    static let table = "prices"
    static let key = PriceRows.key
    static let schema = PriceRows.schema

    /// One row: `row("AAPL", "2024-01-02", "185.6400", 100)`.
    static func row(_ symbol: String, _ date: String, _ close: String, _ volume: Int64 = 100) -> [Value] {
        PriceRows.row(symbol, date, close, volume)
    }

    /// A stream of one batch of `rows` from `source`.
    static func stream(
        _ rows: [[Value]],
        schema: Schema = Prices.schema,
        source: String = "prices.csv"
    ) throws
        -> RecordStream
    {
        try RecordStream(schema: schema, source: source, rows: rows)
    }
}

extension Loader {
    /// Loads `rows` with `strategy` (and any other request options) and checks that `verify` passes after it.
    func load(
        _ rows: [[Value]],
        _ strategy: LoadingStrategy,
        key: [String] = Prices.key,
        table: String = Prices.table,
        schema: Schema = Prices.schema,
        configure: (inout LoadRequest) -> Void = { _ in }
    ) async throws -> LoadResult {
        var request = LoadRequest(table: table, strategy: strategy, keyColumns: key)
        configure(&request)
        let result = try await load(try Prices.stream(rows, schema: schema), request: request)
        try await expectVerified(table)
        return result
    }

    /// Checks that the table's recomputed checksum equals its latest version's.
    func expectVerified(
        _ table: String = Prices.table,
        sourceLocation: SourceLocation = #_sourceLocation
    )
        async throws
    {
        let verification = try await verify(table: table)
        #expect(verification.isValid, "verify: \(verification)", sourceLocation: sourceLocation)
    }

    /// The prices table's rows read back, sorted, as canonical text per value (`nil` for NULL).
    func contents() async throws -> [[String?]] { try await contents(Prices.table) }

    /// The checksum the latest version records, if any.
    func latestChecksum(_ table: String = Prices.table) async throws -> String? {
        try await versions(table: table).last?.checksum
    }
}

/// What a load counted, for one `#expect`.
struct Counts: Equatable, CustomStringConvertible {
    var processed = 0
    var inserted = 0
    var updated = 0
    var deleted = 0
    var skipped = 0
    var failed = 0

    init(processed: Int = 0, inserted: Int = 0, updated: Int = 0, deleted: Int = 0, skipped: Int = 0, failed: Int = 0) {
        self.processed = processed
        self.inserted = inserted
        self.updated = updated
        self.deleted = deleted
        self.skipped = skipped
        self.failed = failed
    }

    init(_ result: LoadResult) {
        let metrics = result.metrics
        self.init(
            processed: metrics.recordsProcessed,
            inserted: metrics.recordsInserted,
            updated: metrics.recordsUpdated,
            deleted: metrics.recordsDeleted,
            skipped: metrics.recordsSkipped,
            failed: metrics.recordsFailed
        )
    }

    var description: String {
        "processed \(processed), inserted \(inserted), updated \(updated), deleted \(deleted), skipped \(skipped), "
            + "failed \(failed)"
    }
}
