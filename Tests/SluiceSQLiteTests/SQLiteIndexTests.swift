import Foundation
import GRDB
import Sluice
import SluiceSQLite
import Testing

@Suite("SQLite secondary indexes and the partitioning refusal")
struct SQLiteIndexTests {
    static let rows = [
        Fixtures.row("AAPL", "2024-01-02", "185.6400"), Fixtures.row("MSFT", "2024-01-02", "370.8700"),
    ]

    @Test func indexesAreCreatedAndARerunAddsNothing() async throws {
        try await SQLiteTestDatabase.withLoader { loader, database in
            var request = LoadRequest(table: "prices", strategy: .upsert, keyColumns: ["symbol", "date"])
            request.indexes = [["date"], ["volume", "symbol"]]
            let first = try await loader.load(try Fixtures.stream(Self.rows), request: request)
            #expect(first.metrics.recordsInserted == 2)
            let rerun = try await loader.load(try Fixtures.stream(Self.rows), request: request)
            #expect(rerun.version == nil)
            request.indexes.append(["close"])
            _ = try await loader.load(try Fixtures.stream(Self.rows), request: request)
            let indexes = try database.sql { db in
                try String.fetchAll(
                    db,
                    sql:
                        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'prices' AND sql IS NOT NULL "
                        + "ORDER BY name"
                )
            }
            #expect(indexes == ["prices_close_idx", "prices_date_idx", "prices_volume_symbol_idx"])
            let plan = try database.sql { db in
                try Row.fetchAll(
                    db,
                    sql: "EXPLAIN QUERY PLAN SELECT * FROM prices WHERE volume = 100"
                )
                .map { row -> String in row["detail"] }
            }
            #expect(plan.joined().contains("prices_volume_symbol_idx"), "\(plan)")
        }
    }

    @Test func anUnknownIndexColumnFailsBeforeAnythingIsWritten() async throws {
        try await SQLiteTestDatabase.withLoader { loader, database in
            let request = LoadRequest(table: "prices", strategy: .append, indexes: [["nope"]])
            let error = await #expect(throws: SluiceError.self) {
                try await loader.load(try Fixtures.stream(Self.rows), request: request)
            }
            #expect(error?.message.contains("no column 'nope'") == true)
            let exists = try database.sql { db in try db.tableExists("prices") }
            #expect(!exists)
        }
    }

    @Test func partitioningIsNotSupported() async throws {
        try await SQLiteTestDatabase.withLoader { loader, _ in
            let request = LoadRequest(
                table: "prices",
                strategy: .append,
                partitioning: Partitioning(column: "date", granularity: .month)
            )
            let error = await #expect(throws: SluiceError.self) {
                try await loader.validate(schema: Fixtures.schema, request: request)
            }
            #expect(error?.message.contains("not supported by this target") == true)
            await #expect(throws: SluiceError.self) {
                try await loader.load(try Fixtures.stream(Self.rows), request: request)
            }
        }
    }
}
