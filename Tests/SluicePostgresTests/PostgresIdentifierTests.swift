import Foundation
import Sluice
import SluicePostgres
import SluiceTesting
import Testing

/// Table and column names that need quoting — double and single quotes, spaces, accents and CJK, SQL keywords,
/// mixed case, a backslash, an injection attempt — work through every loader operation, and the server holds
/// exactly those names.
@Suite("PostgreSQL identifiers that need quoting")
struct PostgresIdentifierTests {
    static let table = #"Prices "Daily" it's é 日本 select"#
    static let hostile = #"a"; DROP TABLE x; --"#
    static let schema = Schema(
        columns: [
            Column(#"Symbol "Quoted""#, .string), Column("order", .date),
            Column("it's", .decimal(precision: 18, scale: 4)),
            Column("user", .int64), Column("select", .string), Column("é 日本", .string), Column("MixedCase", .bool),
            Column(hostile, .string), Column(#"back\slash"#, .json),
        ],
        keyColumns: [#"Symbol "Quoted""#, "order"]
    )
    static let hostileSchema = Schema(
        columns: [Column(hostile, .string), Column("日本", .int64), Column("User", .string)],
        keyColumns: [hostile]
    )

    static func row(
        _ symbol: String,
        _ date: String,
        _ price: String,
        _ user: Int64,
        note: String = "O'Brien \"x\""
    )
        -> [Value]
    {
        [
            .string(symbol), .date(CivilDate(date)!), .decimal(ExactDecimal(price)!), .int64(user), .string(note),
            .string("café 日本語"), .bool(user % 2 == 0), .string("'; DROP TABLE x; --"), .json(#"{"k": "v\\w"}"#),
        ]
    }

    static let apple = row("AAPL", "2024-01-02", "185.6400", 1)
    static let microsoft = row("MSFT", "2024-01-02", "370.8700", 2)
    static let nvidia = row("NVDA", "2024-01-02", "48.1700", 3)
    static let google = row("GOOG", "2024-01-03", "139.5600", 4)
    static let appleChanged = row("AAPL", "2024-01-02", "186.0000", 1, note: "changed \t tab")
    static let amazon = row("AMZN", "2024-01-03", "151.9400", 5)

    @Test("load, read back, versions, verify, statistics and optimize with names that need quoting")
    func everyOperationQuotesItsNames() async throws {
        let server = try PostgresServer.shared
        let database = try server.createDatabase(prefix: "identifiers")
        try server.psql("CREATE TABLE x (kept int); INSERT INTO x VALUES (42)", database: database)
        try await withLoader(server.url(database: database), factories: [PostgresLoader.factory]) { loader in
            let key = Self.schema.keyColumns
            let first = try await Self.load(loader, [Self.apple, Self.microsoft, Self.nvidia], .upsert, key: key)
            #expect(first.metrics.recordsInserted == 3)
            let appended = try await Self.load(loader, [Self.google], .append, key: [])
            #expect(appended.metrics.recordsInserted == 1)
            let upserted = try await Self.load(
                loader,
                [Self.appleChanged, Self.amazon, Self.nvidia],
                .upsert,
                key: key
            )
            #expect(upserted.metrics.recordsInserted == 1)
            #expect(upserted.metrics.recordsUpdated == 1)
            #expect(upserted.metrics.recordsSkipped == 1)
            let conflict = await #expect(throws: SluiceError.self) {
                try await Self.load(loader, [Self.microsoft], .insertOnly, key: key)
            }
            #expect(conflict?.message.contains(#"(Symbol "Quoted"=MSFT, order=2024-01-02)"#) == true, "\(conflict!)")

            let expected = [Self.appleChanged, Self.microsoft, Self.nvidia, Self.google, Self.amazon]
            #expect(try await Self.contents(loader, Self.table) == Self.texts(expected))
            #expect(try await loader.schema(of: Self.table) == Self.schema)
            let versions = try await loader.versions(table: Self.table)
            #expect(versions.count == 3)
            #expect(versions.allSatisfy { $0.table == Self.table })
            #expect(versions.last?.recordCount == 5)
            let verification = try await loader.verify(table: Self.table)
            #expect(verification.isValid && verification.actualRecordCount == 5, "\(verification)")
            #expect(verification.versionID == upserted.version?.id)

            let hostileFirst = try await loader.load(
                try Self.hostileStream([[.string("k1"), .int64(1), .string("a")], [.string("k2"), .int64(2), .null]]),
                request: LoadRequest(table: Self.hostile, strategy: .upsert, keyColumns: [Self.hostile])
            )
            let hostileSecond = try await loader.load(
                try Self.hostileStream([[.string("k2"), .int64(20), .string("b")], [.string("k3"), .int64(3), .null]]),
                request: LoadRequest(table: Self.hostile, strategy: .upsert)
            )
            #expect(hostileFirst.metrics.recordsInserted == 2)
            #expect(hostileSecond.metrics.recordsInserted == 1 && hostileSecond.metrics.recordsUpdated == 1)
            #expect(try await loader.verify(table: Self.hostile).isValid)
            #expect(
                try await Self.contents(loader, Self.hostile) == [
                    ["k1", "1", "a"], ["k2", "20", "b"], ["k3", "3", nil],
                ]
            )

            let statistics = try await loader.statistics(table: Self.table)
            #expect(statistics.tables.map(\.name) == [Self.table])
            #expect(statistics.tables.first?.rowCount == 5)
            #expect(statistics.tables.first?.versions.count == 3)
            #expect(statistics.tables.first?.details["indexes"] == "1")
            let everything = try await loader.statistics(table: nil)
            #expect(Set(everything.tables.map(\.name)) == [Self.table, Self.hostile])
            #expect(everything.tables.first { $0.name == Self.hostile }?.rowCount == 3)
            let optimized = try await loader.optimize(table: Self.table)
            #expect(optimized.operations == [#"VACUUM (ANALYZE) "Prices ""Daily"" it's é 日本 select""#])
            let optimizedAll = try await loader.optimize(table: nil)
            #expect(optimizedAll.operations.contains(#"VACUUM (ANALYZE) "a""; DROP TABLE x; --""#))
        }

        let tables = try server.psql(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
            database: database
        )
        #expect(
            Set(tables.split(separator: "\n").map(String.init))
                == [
                    Self.table, Self.hostile, "x", "_sluice_tables", "_sluice_versions",
                    "_sluice_history_" + Self.table, "_sluice_history_" + Self.hostile,
                ]
        )
        #expect(try server.psql("SELECT kept FROM x", database: database) == "42")
        #expect(try Self.columnNames(server, Self.table, database: database) == Self.schema.columnNames)
        #expect(try Self.columnNames(server, Self.hostile, database: database) == Self.hostileSchema.columnNames)
        #expect(try Self.keyNames(server, Self.table, database: database) == Self.schema.keyColumns)
        #expect(try Self.keyNames(server, Self.hostile, database: database) == [Self.hostile])
        let quoted = PostgresServer.quoted(Self.table)
        #expect(
            try server.psql(
                #"SELECT "it's", "user", "select", "é 日本" FROM \#(quoted) WHERE "Symbol ""Quoted""" = 'AAPL'"#,
                database: database
            ) == #"186.0000|1|changed \#t tab|café 日本語"#
        )
    }

    @Test("the built sluice loads, verifies, reports and optimizes a table and columns whose names need quoting")
    func theCommandLineQuotesNamesToo() throws {
        let server = try PostgresServer.shared
        let database = try server.createDatabase(prefix: "identifiers_cli")
        try server.psql("CREATE TABLE x (kept int); INSERT INTO x VALUES (42)", database: database)
        let url = server.url(database: database)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-names-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let header = #""Symbol ""Quoted""",order,it's,user,select,é 日本,"a""; DROP TABLE x; --""#
        let first = header + "\nAAPL,2024-01-02,185.6400,1,O'Brien,café,a\nMSFT,2024-01-02,370.8700,2,x,日本,b\n"
        let second = header + "\nAAPL,2024-01-02,186.0000,1,O'Brien,café,a\nNVDA,2024-01-02,48.1700,3,y,z,c\n"
        try first.write(to: directory.appendingPathComponent("first.csv"), atomically: true, encoding: .utf8)
        try second.write(to: directory.appendingPathComponent("second.csv"), atomically: true, encoding: .utf8)
        let key = #"Symbol "Quoted",order"#

        for file in ["first.csv", "second.csv"] {
            let load = try SluiceProcess.run(
                ["load", file, "--into", url, "--table", Self.table, "--key", key],
                in: directory
            )
            #expect(load.status == 0, "\(load.error)")
        }
        let verify = try SluiceProcess.run(["verify", "--target", url, "--table", Self.table], in: directory)
        #expect(verify.status == 0, "\(verify.error)")
        let stats = try SluiceProcess.run(["stats", "--target", url, "--table", Self.table, "--json"], in: directory)
        #expect(stats.status == 0, "\(stats.error)")
        let object = try JSONSerialization.jsonObject(with: Data(stats.output.utf8)) as? [String: Any]
        let tables = object?["tables"] as? [[String: Any]]
        #expect(tables?.first?["name"] as? String == Self.table)
        #expect(tables?.first?["row_count"] as? Int == 3)
        let optimize = try SluiceProcess.run(["optimize", "--target", url, "--table", Self.table], in: directory)
        #expect(optimize.status == 0, "\(optimize.error)")

        #expect(
            try Self.columnNames(server, Self.table, database: database)
                == [#"Symbol "Quoted""#, "order", "it's", "user", "select", "é 日本", Self.hostile]
        )
        #expect(try Self.keyNames(server, Self.table, database: database) == [#"Symbol "Quoted""#, "order"])
        let quoted = PostgresServer.quoted(Self.table)
        #expect(
            try server.psql(#"SELECT "it's" FROM \#(quoted) ORDER BY 1"#, database: database)
                == "48.1700\n186.0000\n370.8700"
        )
        #expect(try server.psql("SELECT kept FROM x", database: database) == "42")
    }

    // MARK: Helpers

    static func load(
        _ loader: any Loader,
        _ rows: [[Value]],
        _ strategy: LoadingStrategy,
        key: [String]
    ) async throws -> LoadResult {
        let stream = RecordStream(
            schema: schema,
            source: "torture.csv",
            batches: [try RecordBatch(schema: schema, rows: rows, source: "torture.csv")]
        )
        return try await loader.load(stream, request: LoadRequest(table: table, strategy: strategy, keyColumns: key))
    }

    static func hostileStream(_ rows: [[Value]]) throws -> RecordStream {
        RecordStream(
            schema: hostileSchema,
            source: "hostile.csv",
            batches: [try RecordBatch(schema: hostileSchema, rows: rows, source: "hostile.csv")]
        )
    }

    /// The rows of `table` read back, as canonical text per value, sorted.
    static func contents(_ loader: any Loader, _ table: String) async throws -> [[String?]] {
        var rows: [[String?]] = []
        for try await batch in try await loader.read(table: table) {
            for row in 0..<batch.count { rows.append(batch.row(row).map(\.text)) }
        }
        return sorted(rows)
    }

    static func texts(_ rows: [[Value]]) -> [[String?]] { sorted(rows.map { $0.map(\.text) }) }

    static func sorted(_ rows: [[String?]]) -> [[String?]] {
        rows.sorted { $0.map { $0 ?? "∅" }.lexicographicallyPrecedes($1.map { $0 ?? "∅" }) }
    }

    /// `table` as a SQL string literal naming the quoted identifier, for `::regclass`.
    static func regclass(_ table: String) -> String {
        "'" + PostgresServer.quoted(table).replacingOccurrences(of: "'", with: "''") + "'::regclass"
    }

    /// The column names `psql` sees, one per row (no name here holds a newline).
    static func columnNames(_ server: PostgresServer, _ table: String, database: String) throws -> [String] {
        try server.psql(
            """
            SELECT attname FROM pg_attribute WHERE attrelid = \(regclass(table)) AND attnum > 0 AND NOT attisdropped
            ORDER BY attnum
            """,
            database: database
        ).split(separator: "\n").map(String.init)
    }

    /// The primary key's column names `psql` sees, in key order.
    static func keyNames(_ server: PostgresServer, _ table: String, database: String) throws -> [String] {
        try server.psql(
            """
            SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indrelid = \(regclass(table)) AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)
            """,
            database: database
        ).split(separator: "\n").map(String.init)
    }
}
