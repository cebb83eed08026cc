import Foundation
import GRDB
import Sluice
import SluiceSQLite
import Testing

/// Versions, verification, optimize and statistics.
@Suite("SQLite versions and maintenance")
struct SQLiteVersionTests {
    @Test("every changing load records one version row, oldest first")
    func versionsTable() async throws {
        try await SQLiteTestDatabase.withLoader { (loader, database) async throws in
            let first = try await loader.load(
                try Fixtures.stream([
                    Fixtures.row("AAPL", "2024-01-02", "1.0000"), Fixtures.row("MSFT", "2024-01-02", "2.0000"),
                ]),
                request: LoadRequest(
                    table: "prices",
                    strategy: .upsert,
                    keyColumns: ["symbol", "date"],
                    source: "prices.csv",
                    metadata: ["run": "1"]
                )
            )
            let second = try await loader.load(
                try Fixtures.stream([Fixtures.row("AAPL", "2024-01-02", "1.5000")]),
                request: Fixtures.request(.upsert)
            )
            let versions = try await loader.versions(table: "prices")
            #expect(versions.map(\.id) == [first.version!.id, second.version!.id])
            #expect(versions[0] == first.version)
            #expect(versions[1].parentID == versions[0].id)
            #expect(versions[0].metadata == ["run": "1"])
            #expect(versions[0].source == "prices.csv")
            #expect(versions[1].recordCount == 2)
            #expect(versions[1].metrics.recordsUpdated == 1)
            #expect(versions[1].schemaVersion == Fixtures.schema.fingerprint)
            try database.sql { (db) throws in
                let row = try Row.fetchOne(db, sql: #"SELECT * FROM _sluice_versions ORDER BY id LIMIT 1"#)!
                #expect(row["table"] as String == "prices")
                #expect(row["strategy"] as String == "upsert")
                #expect(row["record_count"] as Int == 2)
                #expect(row["checksum"] as String == first.checksum)
                #expect(row["parent_id"] as String? == nil)
                #expect((row["metrics"] as String).contains(#""records_inserted":2"#))
                let schemaJSON = try String.fetchOne(db, sql: "SELECT schema FROM _sluice_tables WHERE name = 'prices'")
                #expect(schemaJSON?.contains(#""decimal(18,4)""#) == true)
            }
        }
    }

    @Test("verify detects a row changed behind Sluice's back")
    func verifyDetectsTampering() async throws {
        try await SQLiteTestDatabase.withLoader { (loader, database) async throws in
            _ = try await loader.load(
                try Fixtures.stream([
                    Fixtures.row("AAPL", "2024-01-02", "1.0000"), Fixtures.row("MSFT", "2024-01-02", "2.0000"),
                ]),
                request: Fixtures.request(.upsert)
            )
            #expect(try await loader.verify(table: "prices").isValid)
            try database.sql { (db) throws in
                try db.execute(sql: "UPDATE prices SET close = '1.0001' WHERE symbol = 'AAPL'")
            }
            let tampered = try await loader.verify(table: "prices")
            #expect(!tampered.isValid)
            #expect(tampered.actualRecordCount == 2)
            #expect(tampered.expectedChecksum != tampered.actualChecksum)
            try database.sql { (db) throws in try db.execute(sql: "DELETE FROM prices WHERE symbol = 'MSFT'") }
            #expect(try await loader.verify(table: "prices").actualRecordCount == 1)
        }
    }

    @Test("optimize vacuums and analyzes; statistics report rows, bytes, versions and the database")
    func optimizeAndStatistics() async throws {
        try await SQLiteTestDatabase.withLoader { (loader, _) async throws in
            let rows = (0..<2000).map { Fixtures.row("S\($0)", "2024-01-02", "\($0).5000", Int64($0)) }
            _ = try await loader.load(try Fixtures.stream(rows), request: Fixtures.request(.upsert))
            _ = try await loader.load(try Fixtures.stream(Array(rows.prefix(10))), request: Fixtures.request(.replace))
            let report = try await loader.optimize(table: "prices")
            #expect(report.operations == ["VACUUM", #"ANALYZE main."prices""#])
            #expect((report.bytesAfter ?? 0) < (report.bytesBefore ?? 0))
            let statistics = try await loader.statistics(table: nil)
            #expect(statistics.tables.map(\.name) == ["prices"])
            let table = try #require(statistics.tables.first)
            #expect(table.rowCount == 10)
            #expect((table.bytes ?? 1) > 0)
            #expect(table.versions.map(\.inserted) == [2000, 0])
            #expect(table.versions.map(\.deleted) == [0, 1990])
            #expect(statistics.details["journal_mode"] == "wal")
            #expect(Int(statistics.details["page_size"] ?? "") ?? 0 > 0)
            #expect(Int(statistics.details["file_size"] ?? "") ?? 0 > 0)
        }
    }

    @Test("statistics and verify of a missing table fail with not-found")
    func missingTable() async throws {
        try await SQLiteTestDatabase.withLoader { (loader, _) async throws in
            let error = await #expect(throws: SluiceError.self) { try await loader.verify(table: "nope") }
            #expect(error?.code == .notFound)
            #expect(try await loader.schema(of: "nope") == nil)
            #expect(try await loader.versions(table: "nope").isEmpty)
        }
    }
}
