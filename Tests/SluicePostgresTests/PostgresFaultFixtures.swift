import Foundation
import Sluice
import SluicePostgres
import SluiceTesting
import Synchronization
import Testing

/// Generated rows for the fault tests: keyed by `id`, with a symbol, an exact amount and a volume that depend on the
/// id and a `revision` (a later revision changes every row's amount and volume).
enum Ticks {
    static let table = "ticks"
    static let key = ["id"]
    static let schema = Schema(
        columns: [
            Column("id", .int64), Column("symbol", .string), Column("amount", .decimal(precision: 12, scale: 2)),
            Column("volume", .int64),
        ],
        keyColumns: key
    )

    /// `count(*), sum(volume), sum(amount)` as `psql` prints them: the state a reader observes.
    static let observation = "count(*), coalesce(sum(volume), 0), coalesce(sum(amount), 0)"

    /// One batch of the rows with `ids`; row `i` of the batch says it came from line `firstLine + i`.
    static func batch(ids: Range<Int>, revision: Int, source: String, firstLine: Int) -> RecordBatch {
        var id = ColumnVector<Int64>(capacity: ids.count)
        var symbol = ColumnVector<String>(capacity: ids.count)
        var amount = ColumnVector<Int128>(capacity: ids.count)
        var volume = ColumnVector<Int64>(capacity: ids.count)
        for value in ids {
            id.append(Int64(value))
            symbol.append("S\(value % 97)")
            amount.append(Int128(value % 100_000) * 100 + Int128(revision * 7 + value % 100))
            volume.append(Int64(value % 1000 + revision * 3))
        }
        return RecordBatch(
            schema: schema,
            columns: [.int64(id), .string(symbol), .decimal(amount, scale: 2), .int64(volume)],
            source: source,
            lines: Array(firstLine..<(firstLine + ids.count))
        )
    }

    /// A stream of the rows with `ids` in batches of `batchSize`, held at `gate` (if any) until it opens.
    static func stream(
        ids: Range<Int>,
        revision: Int = 0,
        batchSize: Int = 5000,
        source: String = "ticks.csv",
        gate: Gate? = nil
    ) -> RecordStream {
        RecordStream(
            schema: schema,
            source: source,
            GeneratedBatches(ids: ids, revision: revision, batchSize: batchSize, source: source, gate: gate)
        )
    }

    /// The rows with `ids` loaded with `strategy` in one go.
    static func request(_ strategy: LoadingStrategy, table: String = table) -> LoadRequest {
        LoadRequest(table: table, strategy: strategy, keyColumns: strategy == .append ? [] : key)
    }
}

/// Holds a generated stream after a number of batches until the test opens it, so a fault can be injected while
/// the load is known to be in the middle of its `COPY`.
final class Gate: Sendable {
    /// Batches handed out before the stream holds.
    let batchesBeforeHold: Int
    private let opened = Atomic<Bool>(false)
    private let holding = Atomic<Bool>(false)

    init(holdAfter batches: Int) {
        batchesBeforeHold = batches
    }

    /// Lets the stream go on.
    func open() { opened.store(true, ordering: .sequentiallyConsistent) }

    var isOpen: Bool { opened.load(ordering: .sequentiallyConsistent) }

    /// Whether the stream has reached the hold (it has handed out `batchesBeforeHold` batches).
    var isHolding: Bool { holding.load(ordering: .sequentiallyConsistent) }

    fileprivate func hold() async throws {
        holding.store(true, ordering: .sequentiallyConsistent)
        while !isOpen {
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}

/// The batches of ``Ticks/stream(ids:revision:batchSize:source:gate:)``.
struct GeneratedBatches: AsyncSequence, Sendable {
    typealias Element = RecordBatch

    let ids: Range<Int>
    let revision: Int
    let batchSize: Int
    let source: String
    let gate: Gate?

    func makeAsyncIterator() -> Iterator {
        Iterator(batches: self, position: ids.lowerBound, handedOut: 0)
    }

    struct Iterator: AsyncIteratorProtocol {
        let batches: GeneratedBatches
        var position: Int
        var handedOut: Int

        mutating func next() async throws -> RecordBatch? {
            guard position < batches.ids.upperBound else { return nil }
            if let gate = batches.gate, handedOut == gate.batchesBeforeHold { try await gate.hold() }
            let end = Swift.min(position + batches.batchSize, batches.ids.upperBound)
            let ids = position..<end
            position = end
            handedOut += 1
            let line = 2 + ids.lowerBound - batches.ids.lowerBound
            return Ticks.batch(ids: ids, revision: batches.revision, source: batches.source, firstLine: line)
        }
    }
}

/// Runs blocking work (a `psql` child process, `pg_ctl`) on a thread of its own, off Swift's cooperative pool (so
/// the load it observes keeps its threads) and off Dispatch's global queues (whose few threads a long poll would
/// hold, starving the polls of tests running beside it).
func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// Polls `condition` (run off the cooperative pool) every 20 ms until it holds; fails after `timeout`.
func waitUntil(
    _ what: String,
    timeout: Duration = .seconds(15),
    _ condition: @escaping @Sendable () throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !blocking(condition) {
        guard ContinuousClock.now < deadline else { throw FaultTestError("timed out waiting until \(what)") }
        try await Task.sleep(for: .milliseconds(20))
    }
}

struct FaultTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Opens a PostgreSQL loader on `url` that sends `COPY` chunks of `chunkBytes` (16 KiB instead of 1 MiB), so that a
/// few thousand rows already reach the server in several pieces: fault tests stay small in a debug build.
func withChunkedLoader<Result: Sendable>(
    _ url: String,
    chunkBytes: Int = 16 * 1024,
    _ body: (any Loader) async throws -> Result
) async throws -> Result {
    let target = try TargetURL(url)
    var configuration = try PostgresLoader.Configuration.parse(target)
    configuration.chunkBytes = chunkBytes
    return try await PostgresLoader.withLoader(configuration: configuration, target: target.redacted) { loader in
        try await body(loader)
    }
}

extension PostgresServer {
    /// The URL of `database` with the connections named `application` (`application_name`), so a test can find the
    /// loader's backend in `pg_stat_activity`.
    func url(database: String, application: String) -> String {
        url(database: database) + "&application_name=" + application
    }

    /// The rows the `COPY` of the backend named `application` has processed so far (0 when none is running).
    func copiedRows(database: String, application: String) throws -> Int {
        let text = try psql(
            """
            SELECT coalesce(max(p.tuples_processed), 0) FROM pg_stat_progress_copy p
            JOIN pg_stat_activity a ON a.pid = p.pid WHERE a.application_name = '\(application)'
            """,
            database: database
        )
        return Int(text) ?? 0
    }

    /// `count(*), sum(volume), sum(amount)` of `table`, as `psql` prints them.
    func observe(_ table: String, database: String) throws -> String {
        try psql("SELECT \(Ticks.observation) FROM \(PostgresServer.quoted(table))", database: database)
    }
}

/// A unique, lowercase name for `application_name`.
func applicationName(_ prefix: String) -> String {
    prefix + "_" + UUID().uuidString.lowercased().prefix(8)
}
