import Foundation
import GRDB
import Logging
import Sluice

/// The embedded SQLite target: one database file in WAL mode, one transaction per load, prepared statements
/// bound with SQLite's C API, and Sluice's own tables (`_sluice_tables`, `_sluice_versions`) beside the data.
///
/// ```swift
/// try await withLoader("sqlite:prices.sqlite", factories: [SQLiteLoader.factory]) { loader in
///     try await loader.load(prices, into: "stock_prices", key: ["symbol", "date"], strategy: .upsert)
/// }
/// ```
///
/// Column storage: `bool` and `int64` as INTEGER, `double` as REAL, `decimal` as TEXT holding the canonical text
/// at the column's scale (`123.4500`, exact), `string` and `json` as TEXT, `date` as TEXT `YYYY-MM-DD`,
/// `timestamp` as TEXT ISO 8601 UTC with six fraction digits and `Z`, `bytes` as BLOB.
public final class SQLiteLoader: Loader {
    /// The target's URL (`sqlite:PATH`).
    public let target: String
    /// The database file's path, or `:memory:`.
    public let path: String
    /// The settings the loader was opened with.
    public let configuration: Configuration
    let database: DatabaseQueue
    let logger: Logger

    /// The factory that opens `sqlite:` URLs, for ``withLoader(_:factories:logger:_:)``.
    public static let factory: any LoaderFactory = SQLiteLoaderFactory()

    /// Opens (creating if needed) the database at `path` (`:memory:` for a private in-memory database).
    public init(
        path: String,
        configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "sluice.sqlite")
    ) throws {
        self.path = path
        self.configuration = configuration
        self.logger = logger
        self.target = "sqlite:" + path
        var settings = GRDB.Configuration()
        settings.label = "sluice"
        settings.busyMode = .timeout(configuration.busyTimeout)
        let inMemory = path == ":memory:"
        settings.prepareDatabase { db in
            if !inMemory { try db.execute(sql: "PRAGMA journal_mode = WAL") }
            try db.execute(sql: "PRAGMA synchronous = \(configuration.synchronous.rawValue)")
            try db.execute(sql: "PRAGMA cache_size = -\(max(configuration.cacheSizeKiB, 1))")
            try db.execute(sql: "PRAGMA temp.cache_size = -\(max(configuration.cacheSizeKiB, 1))")
        }
        do {
            database =
                inMemory
                ? try DatabaseQueue(configuration: settings) : try DatabaseQueue(path: path, configuration: settings)
        } catch {
            throw SluiceError(.targetFailure, "sqlite:\(path): cannot open the database: \(error)", underlying: error)
        }
    }

    /// Opens the database a `sqlite:PATH[?option=value&…]` URL names (options: see ``Configuration/parse(_:)``).
    public convenience init(url: TargetURL, logger: Logger = Logger(label: "sluice.sqlite")) throws {
        guard url.scheme == "sqlite" else {
            throw SluiceError(.unsupportedTarget, "\(url.redacted): not a sqlite: URL")
        }
        let (path, configuration) = try Configuration.parse(url)
        try self.init(path: path, configuration: configuration, logger: logger)
    }

    public func close() async throws {
        try database.close()
    }

    /// Runs `body` with read access, mapping database errors to ``Sluice/SluiceError``.
    func reading<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.read(body)
        } catch {
            throw mapped(error)
        }
    }

    /// A database error as a ``Sluice/SluiceError`` naming the target; other errors (the input's, Sluice's) unchanged.
    func mapped(_ error: any Error) -> any Error {
        guard let error = error as? DatabaseError else { return error }
        let busy = error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
        return SluiceError(
            busy ? .transient : .targetFailure,
            "\(target): \(error.message ?? "\(error)")",
            underlying: error
        )
    }
}

/// Opens ``SQLiteLoader``s for `sqlite:` URLs.
public struct SQLiteLoaderFactory: LoaderFactory {
    public let schemes = ["sqlite"]

    /// Creates the factory.
    public init() {}

    public func makeLoader(url: TargetURL, logger: Logger) async throws -> any Loader {
        try SQLiteLoader(url: url, logger: logger)
    }
}
