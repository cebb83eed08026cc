import Foundation
import GRDB
import Sluice
import SluiceSQLite

/// A database file in a fresh temporary directory, removed afterwards.
struct SQLiteTestDatabase {
    let directory: URL
    var path: String { directory.appendingPathComponent("test.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-sqlite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Runs `body` with a loader on the database, then closes it and removes the directory.
    static func withLoader<T>(
        configuration: SQLiteLoader.Configuration = SQLiteLoader.Configuration(),
        _ body: (SQLiteLoader, SQLiteTestDatabase) async throws -> T
    ) async throws -> T {
        let database = try SQLiteTestDatabase()
        defer { try? FileManager.default.removeItem(at: database.directory) }
        let loader = try SQLiteLoader(path: database.path, configuration: configuration)
        do {
            let result = try await body(loader, database)
            try await loader.close()
            return result
        } catch {
            try? await loader.close()
            throw error
        }
    }

    /// Runs plain SQL on the file through a separate connection: what any other SQLite client sees.
    func sql<T>(_ body: (Database) throws -> T) throws -> T {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.writeWithoutTransaction(body)
    }
}

enum Fixtures {
    static let schema = Schema(
        columns: [
            Column("symbol", .string), Column("date", .date), Column("close", .decimal(precision: 18, scale: 4)),
            Column("volume", .int64),
        ],
        keyColumns: ["symbol", "date"]
    )

    static func row(_ symbol: String, _ date: String, _ close: String, _ volume: Int64 = 100) -> [Value] {
        [.string(symbol), .date(CivilDate(date)!), .decimal(ExactDecimal(close)!), .int64(volume)]
    }

    static func stream(
        _ rows: [[Value]],
        schema: Schema = Fixtures.schema,
        source: String = "prices.csv"
    ) throws
        -> RecordStream
    {
        try RecordStream(schema: schema, source: source, rows: rows)
    }

    static func request(_ strategy: LoadingStrategy, key: [String] = ["symbol", "date"]) -> LoadRequest {
        LoadRequest(table: "prices", strategy: strategy, keyColumns: key)
    }
}
