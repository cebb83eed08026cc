import Foundation
import Sluice
import SluicePostgres
import SluiceTesting
import Testing

/// Keyed loads into tables created outside Sluice: with a unique index on exactly the key they use
/// `INSERT … ON CONFLICT`, without one (no index, or a unique index over other columns) `UPDATE` then
/// `INSERT … WHERE NOT EXISTS` — with the same counts and checksums either way.
@Suite("PostgreSQL keyed loads with and without a key index")
struct PostgresKeyIndexTests {
    static let key = ["symbol", "date"]

    @Test(arguments: [
        "", ", PRIMARY KEY (symbol, date)", ", UNIQUE (date, symbol)", ", UNIQUE (symbol, date, close)",
    ])
    func everyTableShapeGivesTheSameResult(_ constraint: String) async throws {
        let database = try ScratchDatabase(prefix: "key_index")
        let rows = DailyPriceRows.rows(symbols: ["AAPL"], start: "2024-01-01", days: 20)
        let reference = try ScratchDatabase(prefix: "key_index_ref")
        _ = try database.psql(
            "CREATE TABLE prices (symbol text NOT NULL, date date NOT NULL, close numeric(18,4), volume bigint"
                + constraint + ")"
        )
        var next = Array(rows.suffix(10))
        next[0][2] = .decimal(ExactDecimal("99")!)
        next.append([.string("AAPL"), .date(CivilDate("2025-01-01")!), .decimal(ExactDecimal("1")!), .int64(7)])
        var checksums: [String] = []
        for target in [database, reference] {
            let result = try await target.withLoader { loader in
                let request = LoadRequest(table: "prices", strategy: .upsert, keyColumns: Self.key)
                _ = try await loader.load(try DailyPriceRows.stream(rows), request: request)
                let result = try await loader.load(try DailyPriceRows.stream(next), request: request)
                #expect(try await loader.verify(table: "prices").isValid)
                return result
            }
            #expect(result.metrics.recordsUpdated == 1)
            #expect(result.metrics.recordsInserted == 1)
            #expect(result.metrics.recordsSkipped == 9)
            checksums.append(result.checksum)
        }
        #expect(checksums[0] == checksums[1])
        #expect(try database.psql("SELECT count(*) FROM prices") == "21")
    }
}
