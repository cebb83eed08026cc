import Foundation
import Sluice
import SluiceFiles
import SluicePostgres
import SluiceRedis
import SluiceSQLite
import SluiceTesting
import Testing

/// A source target the export and archive tests run against: SQLite, PostgreSQL, or the file target.
struct SourceTarget: Sendable, CustomTestStringConvertible {
    let name: String
    let factory: any LoaderFactory
    let makeURL: @Sendable () throws -> String

    var testDescription: String { name }

    static let all: [SourceTarget] = [.sqlite, .postgres, .files]
    /// Every target, Redis included: the sources an export is tested from.
    static let exportSources: [SourceTarget] = all + [.redis]

    static let sqlite = SourceTarget(name: "sqlite", factory: SQLiteLoader.factory) {
        "sqlite:" + Scratch.directory("source").appendingPathComponent("source.sqlite").path
    }

    static let postgres = SourceTarget(name: "postgres", factory: PostgresLoader.factory) {
        let server = try PostgresServer.shared
        return server.url(database: try server.createDatabase(prefix: "archive"))
    }

    static let files = SourceTarget(name: "files", factory: FileLoader.factory) {
        "file:" + Scratch.directory("source").path + "?format=csv&compression=gzip"
    }

    static let redis = SourceTarget(name: "redis", factory: RedisLoader.factory) {
        try RedisServer.shared.url() + "?namespace=export-\(UUID().uuidString.prefix(8))"
    }

    /// Runs `body` with a loader on a fresh source target.
    func withLoader<T: Sendable>(_ body: (any Loader) async throws -> T) async throws -> T {
        try await Sluice.withLoader(try makeURL(), factories: [factory], body)
    }
}

/// Fresh directories under the temporary directory, one per use.
enum Scratch {
    static func directory(_ prefix: String) -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-\(prefix)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A file target in a fresh directory (Parquet with zstd pages unless told otherwise).
    static func files(_ output: FileOutputOptions = FileOutputOptions()) -> FileLoader {
        FileLoader(directory: directory("archive").path, output: output)
    }
}

/// Prices over two years: `symbols` symbols, one row per symbol every `step` days from 2023-01-01.
enum History {
    static let table = "prices"

    static func rows(symbols: Int = 3, days: Int = 730, step: Int = 5, revision: Int = 0) -> [[Value]] {
        let start = CivilDate("2023-01-01")!
        var rows: [[Value]] = []
        for symbol in 0..<symbols {
            for day in stride(from: 0, to: days, by: step) {
                let cents = 10_000 + symbol * 1_000 + day + revision
                rows.append([
                    .string("S\(symbol)"), .date(start.adding(days: day)),
                    .decimal(ExactDecimal("\(cents / 100).\(String(format: "%02d", cents % 100))00")!),
                    .int64(Int64(day * 10 + symbol)),
                ])
            }
        }
        return rows
    }

    static func stream(_ rows: [[Value]], schema: Schema = PriceRows.schema) throws -> RecordStream {
        try RecordStream(schema: schema, source: "prices.csv", rows: rows)
    }

    /// The sum of the rows' digests: the checksum a table holding exactly them has.
    static func checksum(_ rows: [[Value]], schema: Schema = PriceRows.schema) -> String {
        let digester = RowDigester(schema: schema)
        var sum = ContentChecksum.zero
        for row in rows { sum.add(digester.digest(values: row)) }
        return sum.hex
    }

    static func before(_ rows: [[Value]], _ day: String) -> [[Value]] {
        rows.filter { row in
            if case .date(let date) = row[1] { return date < CivilDate(day)! }
            return false
        }
    }

    static func from(_ rows: [[Value]], _ day: String) -> [[Value]] {
        rows.filter { row in
            if case .date(let date) = row[1] { return !(date < CivilDate(day)!) }
            return false
        }
    }
}

extension Loader {
    /// Loads rows into the prices table and checks that it verifies.
    @discardableResult
    func loadPrices(
        _ rows: [[Value]],
        _ strategy: LoadingStrategy,
        key: [String] = PriceRows.key,
        configure: (inout LoadRequest) -> Void = { _ in }
    ) async throws -> LoadResult {
        var request = LoadRequest(table: History.table, strategy: strategy, keyColumns: key)
        configure(&request)
        let schema = key.isEmpty ? Schema(columns: PriceRows.schema.columns) : PriceRows.schema
        let result = try await load(try History.stream(rows, schema: schema), request: request)
        #expect(try await verify(table: History.table).isValid)
        return result
    }

    /// The table's latest version's checksum ("" when none).
    func checksum(_ table: String = History.table) async throws -> String {
        try await versions(table: table).last?.checksum ?? ""
    }
}
