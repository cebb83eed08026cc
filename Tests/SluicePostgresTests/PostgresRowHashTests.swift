import Foundation
import Sluice
import SluicePostgres
import SluiceTesting
import Testing

/// Row-hash change detection: consecutive incremental loads send only rows whose hash changed, keep the hashes up
/// to date in the load's transaction, and fall back to comparing every row on the server whenever the hashes do
/// not describe the parent version.
@Suite("PostgreSQL incremental row hashes")
struct PostgresRowHashTests {
    static let key = ["symbol", "date"]

    func incremental(_ rows: [[Value]], deleteMissing: Bool = false) -> LoadRequest {
        LoadRequest(table: "prices", strategy: .incremental, keyColumns: Self.key, deleteMissing: deleteMissing)
    }

    func hashState(_ database: ScratchDatabase) throws -> String {
        try database.psql(
            """
            SELECT s.version = (SELECT max(id) FROM _sluice_versions WHERE "table" = 'prices') AS current,
            (SELECT count(*) FROM "_sluice_row_hashes_prices") FROM _sluice_row_hash_sets s WHERE s."table" = 'prices'
            """
        )
    }

    @Test func consecutiveIncrementalLoadsSendOnlyChangedRows() async throws {
        let database = try ScratchDatabase(prefix: "row_hashes")
        let rows = DailyPriceRows.rows(symbols: ["AAPL", "MSFT"], start: "2024-01-01", days: 50)
        var next = rows
        next[3][2] = .decimal(ExactDecimal("11.2500")!)
        next.append([.string("NVDA"), .date(CivilDate("2024-01-01")!), .decimal(ExactDecimal("5")!), .int64(1)])
        try await database.withLoader { loader in
            let first = try await loader.load(try DailyPriceRows.stream(rows), request: incremental(rows))
            #expect(first.metrics.recordsInserted == 100)
            #expect(try hashState(database) == "t|100")

            // A row changed by hand, behind Sluice's back: the hashes still describe the version, so the same input
            // row is not sent — this is what row-hash detection trusts (verify shows the drift).
            #expect(
                try database.psql("UPDATE prices SET volume = -1 WHERE symbol = 'MSFT' AND date = '2024-01-10'") == ""
            )
            let second = try await loader.load(try DailyPriceRows.stream(next), request: incremental(next))
            #expect(second.metrics.recordsUpdated == 1)
            #expect(second.metrics.recordsInserted == 1)
            #expect(second.metrics.recordsSkipped == 99)
            #expect(try hashState(database) == "t|101")
            #expect(
                try database.psql("SELECT volume FROM prices WHERE symbol = 'MSFT' AND date = '2024-01-10'") == "-1"
            )
            #expect(
                try database.psql("SELECT close FROM prices WHERE symbol = 'AAPL' AND date = '2024-01-04'") == "11.2500"
            )
            #expect(try await loader.verify(table: "prices").isValid == false)

            // An upsert makes a version the hashes do not describe: the next incremental load compares every row on
            // the server, puts the upserted row back and repairs the hand-made change.
            var upserted = next[0]
            upserted[2] = .decimal(ExactDecimal("12")!)
            _ = try await loader.load(
                try DailyPriceRows.stream([upserted]),
                request: LoadRequest(table: "prices", strategy: .upsert, keyColumns: Self.key)
            )
            #expect(try hashState(database) == "f|101")
            let third = try await loader.load(try DailyPriceRows.stream(next), request: incremental(next))
            #expect(third.metrics.recordsUpdated == 2)
            #expect(third.metrics.recordsSkipped == 99)
            #expect(try hashState(database) == "t|101")
            #expect(
                try database.psql("SELECT volume FROM prices WHERE symbol = 'MSFT' AND date = '2024-01-10'") != "-1"
            )
        }
    }

    @Test func theChecksumEqualsAnUpsertOfTheSameData() async throws {
        let hashed = try ScratchDatabase(prefix: "row_hashes_sum")
        let compared = try ScratchDatabase(prefix: "row_hashes_upsert")
        let rows = DailyPriceRows.rows(symbols: ["AAPL", "MSFT", "IBM"], start: "2024-03-01", days: 40)
        var next = rows
        for index in stride(from: 0, to: next.count, by: 7) { next[index][3] = .int64(Int64(index)) }
        var checksums: [String] = []
        for (database, strategy) in [(hashed, LoadingStrategy.incremental), (compared, .upsert)] {
            let result = try await database.withLoader { loader in
                let request = LoadRequest(table: "prices", strategy: strategy, keyColumns: Self.key)
                _ = try await loader.load(try DailyPriceRows.stream(rows), request: request)
                let result = try await loader.load(try DailyPriceRows.stream(next), request: request)
                #expect(try await loader.verify(table: "prices").isValid)
                return result
            }
            #expect(result.metrics.recordsUpdated == 18)
            checksums.append(result.checksum)
        }
        #expect(checksums[0] == checksums[1])
    }

    @Test func deletedKeysAreNeverTakenForUnchanged() async throws {
        let database = try ScratchDatabase(prefix: "row_hashes_delete")
        let rows = DailyPriceRows.rows(symbols: ["AAPL"], start: "2024-01-01", days: 10)
        try await database.withLoader { loader in
            _ = try await loader.load(try DailyPriceRows.stream(rows), request: incremental(rows))
            let fewer = Array(rows.prefix(6))
            let deleted = try await loader.load(
                try DailyPriceRows.stream(fewer),
                request: incremental(fewer, deleteMissing: true)
            )
            #expect(deleted.metrics.recordsDeleted == 4)
            #expect(try hashState(database) == "t|6")
            let again = try await loader.load(try DailyPriceRows.stream(rows), request: incremental(rows))
            #expect(again.metrics.recordsInserted == 4)
            #expect(again.metrics.recordsSkipped == 6)
            #expect(try database.psql("SELECT count(*) FROM prices") == "10")
            #expect(try await loader.verify(table: "prices").isValid)
        }
    }

    @Test func aRepeatedKeyIsResolvedLastWinsEvenWhenOneCopyIsUnchanged() async throws {
        let database = try ScratchDatabase(prefix: "row_hashes_repeat")
        let rows = DailyPriceRows.rows(symbols: ["AAPL"], start: "2024-01-01", days: 3)
        var changed = rows[1]
        changed[2] = .decimal(ExactDecimal("99")!)
        try await database.withLoader { loader in
            _ = try await loader.load(try DailyPriceRows.stream(rows), request: incremental(rows))
            // Changed first, unchanged last: the last wins, so nothing changes.
            let unchangedLast = rows + [changed, rows[1]]
            let first = try await loader.load(
                try DailyPriceRows.stream(unchangedLast),
                request: incremental(unchangedLast)
            )
            #expect(first.metrics.recordsUpdated == 0)
            #expect(try database.psql("SELECT close FROM prices WHERE date = '2024-01-02'") == "10.5000")
            // Unchanged first, changed last: the change is applied.
            let changedLast = rows + [changed]
            let second = try await loader.load(
                try DailyPriceRows.stream(changedLast),
                request: incremental(changedLast)
            )
            #expect(second.metrics.recordsUpdated == 1)
            #expect(try database.psql("SELECT close FROM prices WHERE date = '2024-01-02'") == "99.0000")
            #expect(try await loader.verify(table: "prices").isValid)
        }
    }
}
