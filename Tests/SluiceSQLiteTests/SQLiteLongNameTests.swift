import Foundation
import GRDB
import Sluice
import SluiceSQLite
import Testing

/// SQLite has no practical limit on an identifier's length; the names Sluice derives from a long table name (the
/// history table, its index, secondary indexes) work as well as the table itself.
@Suite("SQLite long table names")
struct SQLiteLongNameTests {
    static let schema = Schema(
        columns: [
            Column("symbol", .string), Column("date", .date), Column("close", .decimal(precision: 18, scale: 4)),
        ],
        keyColumns: ["symbol", "date"]
    )

    static func stream(_ close: String) throws -> RecordStream {
        let rows: [[Value]] = ["AAPL", "MSFT"].map { symbol in
            [.string(symbol), .date(CivilDate("2024-01-02")!), .decimal(ExactDecimal(close)!)]
        }
        return RecordStream(
            schema: schema,
            source: "prices.csv",
            batches: [try RecordBatch(schema: schema, rows: rows, source: "prices.csv")]
        )
    }

    @Test("two 100-byte table names that share 99 bytes load, verify, keep their own history and roll back apart")
    func hundredByteNames() async throws {
        let prefix = String(repeating: "n", count: 99)
        let (first, second) = (prefix + "1", prefix + "2")
        try await SQLiteTestDatabase.withLoader { loader, database in
            for table in [first, second] {
                for close in ["1.0000", "2.0000"] {
                    let request = LoadRequest(
                        table: table,
                        strategy: .upsert,
                        keyColumns: ["symbol", "date"],
                        indexes: [["close"]]
                    )
                    let result = try await loader.load(try Self.stream(close), request: request)
                    #expect(result.version != nil)
                }
            }
            let versions = try await loader.versions(table: first)
            #expect(versions.count == 2)
            let rolledBack = try await loader.rollback(table: first, to: versions[0].id)
            #expect(rolledBack.version != nil)
            for table in [first, second] {
                let verification = try await loader.verify(table: table)
                #expect(verification.isValid && verification.actualRecordCount == 2, "\(verification)")
            }
            let other = try await loader.versions(table: second)
            let diff = try await loader.diff(table: second, from: other[0].id, to: other[1].id, samples: 0)
            #expect(diff.updated == 2 && diff.inserted == 0 && diff.deleted == 0)
            let closes = try database.sql { db in
                try [first, second].map { table in
                    try String.fetchAll(db, sql: "SELECT DISTINCT CAST(close AS TEXT) FROM \"\(table)\"")
                }
            }
            #expect(closes.count == 2 && closes[0] != closes[1], "\(closes)")
            let names = try database.sql { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE name LIKE '%nnnn%' ORDER BY name")
            }
            #expect(names.contains("_sluice_history_" + first) && names.contains("_sluice_history_" + second))
            #expect(names.contains(first + "_close_idx") && names.contains(second + "_close_idx"), "\(names)")
        }
    }
}
