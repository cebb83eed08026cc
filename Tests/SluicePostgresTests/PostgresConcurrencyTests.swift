import Foundation
import Sluice
import SluicePostgres
import SluiceTesting
import Testing

/// Loads running at the same time through one loader's pool: different tables proceed side by side, loads of one
/// table run one after another, each planned against the one before.
@Suite("PostgreSQL concurrent loads")
struct PostgresConcurrencyTests {
    static let key = ["symbol", "date"]

    @Test func loadsOfOneTableRunOneAfterAnotherAndChainTheirVersions() async throws {
        let database = try ScratchDatabase(prefix: "concurrent_one")
        let symbols = ["AAPL", "MSFT", "IBM", "NVDA"]
        try await database.withLoader { loader in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for symbol in symbols {
                    group.addTask {
                        let rows = DailyPriceRows.rows(symbols: [symbol], start: "2024-01-01", days: 3_000)
                        let request = LoadRequest(table: "prices", strategy: .upsert, keyColumns: Self.key)
                        let result = try await loader.load(try DailyPriceRows.stream(rows), request: request)
                        #expect(result.metrics.recordsInserted == 3_000)
                    }
                }
                try await group.waitForAll()
            }
            let versions = try await loader.versions(table: "prices")
            #expect(versions.count == 4)
            #expect(versions.map(\.parentID) == [nil] + versions.dropLast().map(\.id))
            #expect(versions.map(\.recordCount) == [3_000, 6_000, 9_000, 12_000])
            #expect(try await loader.verify(table: "prices").isValid)
        }
        #expect(try database.psql("SELECT count(DISTINCT symbol), count(*) FROM prices") == "4|12000")
    }

    @Test func differentTablesLoadSideBySideEvenWithOneConnection() async throws {
        let database = try ScratchDatabase(prefix: "concurrent_many")
        for url in [database.url, database.url + "&pool_size=1"] {
            try await Sluice.withLoader(url, factories: [PostgresLoader.factory]) { loader in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for table in ["a", "b", "c"] {
                        group.addTask {
                            let rows = DailyPriceRows.rows(symbols: ["X"], start: "2024-01-01", days: 500)
                            let request = LoadRequest(table: table, strategy: .upsert, keyColumns: Self.key)
                            _ = try await loader.load(try DailyPriceRows.stream(rows), request: request)
                        }
                    }
                    try await group.waitForAll()
                }
                for table in ["a", "b", "c"] { #expect(try await loader.verify(table: table).isValid) }
            }
        }
        #expect(try database.psql("SELECT count(*) FROM _sluice_versions") == "3")
    }
}
