import Foundation
import Sluice
import SluicePostgres
import SluiceTesting
import Testing

/// A fresh database on the harness's server, and a loader on it.
struct ScratchDatabase {
    let server: PostgresServer
    let name: String

    init(prefix: String) throws {
        server = try PostgresServer.shared
        name = try server.createDatabase(prefix: prefix)
    }

    var url: String { server.url(database: name) }

    func psql(_ sql: String) throws -> String { try server.psql(sql, database: name) }

    func withLoader<Result: Sendable>(_ body: (any Loader) async throws -> Result) async throws -> Result {
        try await Sluice.withLoader(url, factories: [PostgresLoader.factory], body)
    }
}

/// Daily prices: `symbol, date` keyed, with a close and a volume.
enum DailyPriceRows {
    static let schema = Schema(
        columns: [
            Column("symbol", .string), Column("date", .date), Column("close", .decimal(precision: 18, scale: 4)),
            Column("volume", .int64),
        ],
        keyColumns: ["symbol", "date"]
    )

    /// `days` rows per symbol, one a day from `start`; the volume is the day number (the same for the same date).
    static func rows(symbols: [String], start: String, days: Int, close: String = "10.5000") -> [[Value]] {
        let first = CivilDate(start)!
        return symbols.flatMap { symbol in
            (0..<days).map { day in
                [
                    .string(symbol), .date(first.adding(days: day)), .decimal(ExactDecimal(close)!),
                    .int64(Int64(first.adding(days: day).daysSinceEpoch)),
                ]
            }
        }
    }

    static func stream(
        _ rows: [[Value]],
        schema: Schema = schema,
        source: String = "prices.csv"
    ) throws
        -> RecordStream
    {
        try RecordStream(schema: schema, source: source, rows: rows)
    }
}

@Suite("PostgreSQL secondary indexes (--index)")
struct PostgresIndexTests {
    @Test func indexesAreCreatedAfterTheDataAndUsed() async throws {
        let database = try ScratchDatabase(prefix: "index")
        let rows = DailyPriceRows.rows(symbols: ["AAPL", "MSFT"], start: "2024-01-01", days: 200)
        try await database.withLoader { loader in
            let request = LoadRequest(
                table: "prices",
                strategy: .upsert,
                keyColumns: ["symbol", "date"],
                indexes: [["date"], ["volume", "symbol"]]
            )
            _ = try await loader.load(try DailyPriceRows.stream(rows), request: request)
        }
        #expect(
            try database.psql(
                "SELECT indexname || ':' || indexdef FROM pg_indexes WHERE tablename = 'prices' ORDER BY 1"
            )
                == """
                prices_date_idx:CREATE INDEX prices_date_idx ON public.prices USING btree (date)
                prices_pkey:CREATE UNIQUE INDEX prices_pkey ON public.prices USING btree (symbol, date)
                prices_volume_symbol_idx:CREATE INDEX prices_volume_symbol_idx ON public.prices USING btree (volume, symbol)
                """
        )
        let plan = try database.psql(
            "SET enable_seqscan = off; EXPLAIN (COSTS OFF) SELECT * FROM prices WHERE date = '2024-03-01'"
        )
        #expect(plan.contains("prices_date_idx"), "\(plan)")
    }

    @Test func aRerunAddsNothingAndANewIndexOnARerunIsStillMade() async throws {
        let database = try ScratchDatabase(prefix: "index_rerun")
        let rows = DailyPriceRows.rows(symbols: ["AAPL"], start: "2024-01-01", days: 30)
        try await database.withLoader { loader in
            var request = LoadRequest(table: "prices", strategy: .upsert, keyColumns: ["symbol", "date"])
            request.indexes = [["date"]]
            let first = try await loader.load(try DailyPriceRows.stream(rows), request: request)
            #expect(first.metrics.recordsInserted == 30)
            let rerun = try await loader.load(try DailyPriceRows.stream(rows), request: request)
            #expect(rerun.version == nil)
            request.indexes = [["date"], ["close"]]
            let withNewIndex = try await loader.load(try DailyPriceRows.stream(rows), request: request)
            #expect(withNewIndex.version == nil)
            #expect(try await loader.verify(table: "prices").isValid)
        }
        #expect(
            try database.psql(
                "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes WHERE tablename = 'prices'"
            )
                == "prices_close_idx,prices_date_idx,prices_pkey"
        )
        #expect(try database.psql("SELECT count(*) FROM _sluice_versions") == "1")
    }

    @Test func anUnknownColumnFailsBeforeAnythingIsWritten() async throws {
        let database = try ScratchDatabase(prefix: "index_bad")
        let rows = DailyPriceRows.rows(symbols: ["AAPL"], start: "2024-01-01", days: 5)
        try await database.withLoader { loader in
            let request = LoadRequest(table: "prices", strategy: .append, indexes: [["date"], ["no_such"]])
            let error = await #expect(throws: SluiceError.self) {
                try await loader.load(try DailyPriceRows.stream(rows), request: request)
            }
            #expect(error?.code == .invalidRequest)
            #expect(error?.message.contains("no column 'no_such'") == true, "\(String(describing: error))")
        }
        #expect(try database.psql("SELECT to_regclass('prices') IS NULL") == "t")
    }

    @Test func longNamesAreShortenedWithAHash() async throws {
        let database = try ScratchDatabase(prefix: "index_long")
        let long = String(repeating: "very_long_column_name_", count: 2)
        let schema = Schema(columns: [Column("id", .int64), Column(long + "a", .string), Column(long + "b", .string)])
        let rows: [[Value]] = [[.int64(1), .string("x"), .string("y")]]
        try await database.withLoader { loader in
            let request = LoadRequest(
                table: "t",
                strategy: .append,
                indexes: [[long + "a", long + "b"], [long + "b", long + "a"]]
            )
            _ = try await loader.load(try DailyPriceRows.stream(rows, schema: schema), request: request)
            _ = try await loader.load(try DailyPriceRows.stream(rows, schema: schema), request: request)
        }
        let names = try database.psql("SELECT indexname FROM pg_indexes WHERE tablename = 't' ORDER BY 1")
            .split(separator: "\n")
        #expect(names.count == 2)
        for name in names {
            #expect(name.utf8.count <= 63)
            #expect(name.hasSuffix("_idx"))
        }
    }

    @Test func statisticsListIndexesAndAdviseOnUnusedAndMissingOnes() async throws {
        let database = try ScratchDatabase(prefix: "index_stats")
        let rows = DailyPriceRows.rows(symbols: (0..<60).map { "S\($0)" }, start: "2023-01-01", days: 200)
        try await database.withLoader { loader in
            let request = LoadRequest(
                table: "prices",
                strategy: .upsert,
                keyColumns: ["symbol", "date"],
                indexes: [["volume"]]
            )
            _ = try await loader.load(try DailyPriceRows.stream(rows), request: request)
        }
        _ = try database.psql("SELECT pg_stat_reset()")
        for _ in 0..<25 { _ = try database.psql("SELECT count(*) FROM prices WHERE close > 1") }
        let statistics = try await database.withLoader { loader in try await loader.statistics(table: "prices") }
        let table = try #require(statistics.tables.first)
        let indexes = try #require(table.indexes)
        #expect(indexes.map(\.name) == ["prices_pkey", "prices_volume_idx"])
        #expect(indexes.first?.isPrimaryKey == true)
        #expect(indexes.first?.columns == ["symbol", "date"])
        #expect(indexes.allSatisfy { ($0.bytes ?? 0) > 0 })
        #expect(table.partitions == nil)
        let advice = try #require(table.advice)
        let unused = advice.filter { $0.kind == .unused }
        #expect(unused.map(\.index) == ["prices_volume_idx"])
        let missing = try #require(advice.first { $0.kind == .missing })
        #expect(missing.columns == ["date"], "the key's first column not leading an index")
        #expect(missing.message.contains("sequential scans"))
    }
}
