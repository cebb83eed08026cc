import Foundation
import GRDB
import Sluice
import SluiceSQLite
import SluiceTesting
import Testing

/// Table and column names that need quoting — double and single quotes, spaces, accents and CJK, SQL keywords,
/// a backslash, an injection attempt — work through every SQLite loader operation (load, read, versions, verify,
/// indexes, statistics, optimize, diff and rollback), and the file holds exactly those names (SECURITY.md,
/// promise 1).
@Suite("SQLite identifiers that need quoting")
struct SQLiteIdentifierTests {
    static let table = #"Prices "Daily" it's é 日本 select"#
    static let hostile = #"a"; DROP TABLE x; --"#
    static let schema = Schema(
        columns: [
            Column(#"Symbol "Quoted""#, .string), Column("order", .date),
            Column("it's", .decimal(precision: 18, scale: 4)), Column("user", .int64), Column(hostile, .string),
            Column(#"back\slash"#, .json),
        ],
        keyColumns: [#"Symbol "Quoted""#, "order"]
    )

    static func row(
        _ symbol: String,
        _ date: String,
        _ price: String,
        _ user: Int64,
        note: String = "O'Brien"
    ) -> [Value] {
        [
            .string(symbol), .date(CivilDate(date)!), .decimal(ExactDecimal(price)!), .int64(user),
            .string("'; DROP TABLE x; -- " + note), .json(#"{"k": "v\\w"}"#),
        ]
    }

    static let apple = row("AAPL", "2024-01-02", "185.6400", 1)
    static let microsoft = row("MSFT", "2024-01-02", "370.8700", 2)
    static let appleChanged = row("AAPL", "2024-01-02", "186.0000", 1, note: "changed")
    static let amazon = row("AMZN", "2024-01-03", "151.9400", 5)

    @Test("load, read back, versions, verify, index, statistics, optimize, diff and rollback with hostile names")
    func everyOperationQuotesItsNames() async throws {
        try await SQLiteTestDatabase.withLoader { loader, database in
            try database.sql { try $0.execute(sql: "CREATE TABLE x (kept INTEGER); INSERT INTO x VALUES (42)") }
            let key = Self.schema.keyColumns
            let first = try await loader.load(
                try Self.stream([Self.apple, Self.microsoft]),
                request: LoadRequest(
                    table: Self.table,
                    strategy: .upsert,
                    keyColumns: key,
                    indexes: [[Self.hostile], ["it's", "user"]]
                )
            )
            let second = try await loader.load(
                try Self.stream([Self.appleChanged, Self.amazon]),
                request: LoadRequest(table: Self.table, strategy: .upsert, keyColumns: key)
            )
            #expect(second.metrics.recordsInserted == 1 && second.metrics.recordsUpdated == 1)
            let conflict = await #expect(throws: SluiceError.self) {
                try await loader.load(
                    try Self.stream([Self.microsoft]),
                    request: LoadRequest(table: Self.table, strategy: .insertOnly, keyColumns: key)
                )
            }
            #expect(conflict?.message.contains(#"Symbol "Quoted"=MSFT"#) == true, "\(conflict.map { "\($0)" } ?? "")")

            #expect(try await loader.contents(Self.table) == texts([Self.appleChanged, Self.microsoft, Self.amazon]))
            #expect(try await loader.schema(of: Self.table) == Self.schema)
            let versions = try await loader.versions(table: Self.table)
            #expect(versions.map(\.id) == [first.version?.id, second.version?.id])
            let verification = try await loader.verify(table: Self.table)
            #expect(verification.isValid && verification.actualRecordCount == 3, "\(verification)")
            let statistics = try await loader.statistics(table: Self.table)
            #expect(statistics.tables.map(\.name) == [Self.table])
            #expect(statistics.tables.first?.rowCount == 3)
            let optimized = try await loader.optimize(table: Self.table)
            #expect(!optimized.operations.isEmpty)

            let diff = try await loader.diff(
                table: Self.table,
                from: try #require(first.version?.id),
                to: try #require(second.version?.id),
                samples: 5
            )
            #expect(diff.inserted == 1 && diff.updated == 1 && diff.deleted == 0)
            let rolledBack = try await loader.rollback(table: Self.table, to: try #require(first.version?.id))
            #expect(rolledBack.version?.checksum == first.version?.checksum)
            #expect(try await loader.contents(Self.table) == texts([Self.apple, Self.microsoft]))
            #expect(try await loader.verify(table: Self.table).isValid)
        }
    }

    @Test("the file holds exactly the hostile names, and the table x survives")
    func theFileHoldsTheNames() async throws {
        try await SQLiteTestDatabase.withLoader { loader, database in
            try database.sql { try $0.execute(sql: "CREATE TABLE x (kept INTEGER); INSERT INTO x VALUES (42)") }
            let hostileSchema = Schema(columns: [Column(Self.hostile, .string)], keyColumns: [Self.hostile])
            for table in [Self.table, Self.hostile] {
                let stream =
                    table == Self.table
                    ? try Self.stream([Self.apple])
                    : RecordStream(
                        schema: hostileSchema,
                        source: "hostile.csv",
                        batches: [try RecordBatch(schema: hostileSchema, rows: [[.string("k")]], source: "hostile.csv")]
                    )
                let key = table == Self.table ? Self.schema.keyColumns : [Self.hostile]
                _ = try await loader.load(
                    stream,
                    request: LoadRequest(table: table, strategy: .upsert, keyColumns: key)
                )
            }
            try await loader.close()
            let (tables, columns, kept) = try database.sql { db in
                (
                    try String.fetchAll(
                        db,
                        sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                    ),
                    try String.fetchAll(
                        db,
                        sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid",
                        arguments: [Self.table]
                    ),
                    try Int.fetchOne(db, sql: "SELECT kept FROM x")
                )
            }
            #expect(kept == 42)
            #expect(columns == Self.schema.columnNames)
            #expect(
                Set(tables.filter { !$0.hasPrefix("_sluice") }) == [Self.table, Self.hostile, "x"],
                "\(tables)"
            )
        }
    }

    @Test("Sluice's own tables and SQLite's cannot be loaded into", arguments: ["_sluice_versions", "sqlite_master"])
    func reservedNamesAreRefused(name: String) async throws {
        try await SQLiteTestDatabase.withLoader { loader, _ in
            let error = await #expect(throws: SluiceError.self) {
                try await loader.load(
                    try Self.stream([Self.apple]),
                    request: LoadRequest(table: name, strategy: .append)
                )
            }
            #expect(error?.description.contains(name) == true)
            #expect(error?.description.contains("\n") == false)
        }
    }

    // MARK: Helpers

    static func stream(_ rows: [[Value]]) throws -> RecordStream {
        RecordStream(
            schema: schema,
            source: "torture.csv",
            batches: [try RecordBatch(schema: schema, rows: rows, source: "torture.csv")]
        )
    }
}
