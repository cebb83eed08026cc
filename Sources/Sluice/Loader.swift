import Logging

/// The contract every target implements: PostgreSQL, SQLite, files and Redis behave the same through it.
///
/// Open a loader with ``withLoader(_:factories:logger:_:)`` so that its connections always close.
public protocol Loader: Sendable {
    /// The target's URL with any password redacted.
    var target: String { get }

    /// Checks, without writing, that records of `schema` can be loaded with `request`: the key columns exist,
    /// the cursor column exists, and the table (if it exists) is compatible. Throws a ``SluiceError`` if not.
    func validate(schema: Schema, request: LoadRequest) async throws

    /// Loads `input` into `request.table` atomically and records a data version in the same step.
    func load(_ input: RecordStream, request: LoadRequest) async throws -> LoadResult

    /// The schema of `table` as the target holds it (types, nullability, key), or `nil` if there is no such table.
    func schema(of table: String) async throws -> Schema?

    /// Reads every row of `table` back as batches of its schema (order unspecified). Used by conformance tests,
    /// verification and export.
    func read(table: String) async throws -> RecordStream

    /// The versions of `table`, oldest first.
    func versions(table: String) async throws -> [DataVersion]

    /// Recomputes `table`'s content checksum and compares it with its latest version.
    func verify(table: String) async throws -> Verification

    /// Reclaims space and refreshes planner statistics (`VACUUM`, `ANALYZE`, …).
    func optimize(table: String?) async throws -> OptimizationReport

    /// Rows, bytes and per-version counts of one table or all.
    func statistics(table: String?) async throws -> TargetStatistics

    /// Closes connections. ``withLoader(_:factories:logger:_:)`` calls it; call it yourself only if you opened
    /// the loader some other way.
    func close() async throws
}

/// Opens loaders for the URL schemes it knows (`sqlite:`, `postgres://`, …).
public protocol LoaderFactory: Sendable {
    /// The URL schemes this factory opens, lowercase, without the colon.
    var schemes: [String] { get }

    /// Opens a loader for `url`; the caller closes it.
    func makeLoader(url: TargetURL, logger: Logger) async throws -> any Loader

    /// Opens a loader for `url`, runs `body` with it, and closes it whether `body` returns or throws.
    ///
    /// The default opens with ``makeLoader(url:logger:)`` and closes afterwards. Targets whose connections need a
    /// task running beside the caller's (a connection pool's `run()`) implement this with a task group, so the
    /// pool lives exactly as long as `body`: structured concurrency, no unstructured tasks.
    func withLoader<Result: Sendable>(
        url: TargetURL,
        logger: Logger,
        _ body: (any Loader) async throws -> Result
    ) async throws -> Result
}

extension LoaderFactory {
    public func withLoader<Result: Sendable>(
        url: TargetURL,
        logger: Logger,
        _ body: (any Loader) async throws -> Result
    ) async throws -> Result {
        let loader = try await makeLoader(url: url, logger: logger)
        do {
            let result = try await body(loader)
            try await loader.close()
            return result
        } catch {
            try? await loader.close()
            throw error
        }
    }
}

/// Opens the loader for `url`, runs `body` with it, and closes it whether `body` returns or throws.
///
/// ```swift
/// try await withLoader("sqlite:prices.sqlite", factories: [SQLiteLoader.factory]) { loader in
///     try await loader.load(prices, into: "stock_prices", key: ["symbol", "date"], strategy: .upsert)
/// }
/// ```
public func withLoader<Result: Sendable>(
    _ url: String,
    factories: [any LoaderFactory],
    logger: Logger = Logger(label: "sluice"),
    _ body: (any Loader) async throws -> Result
) async throws -> Result {
    let target = try TargetURL(url)
    guard let factory = factories.first(where: { $0.schemes.contains(target.scheme) }) else {
        let known = factories.flatMap(\.schemes).map { $0 + ":" }.joined(separator: ", ")
        throw SluiceError(
            .unsupportedTarget,
            "\(target.redacted): unsupported target scheme '\(target.scheme)' (known: \(known))"
        )
    }
    return try await factory.withLoader(url: target, logger: logger, body)
}
