import Foundation
import GRDB
import Sluice
import SluiceSQLite
import Testing

/// How SQLite stores Sluice tables: primary keys, exact decimals, column types, WAL.
@Suite("SQLite storage")
struct SQLiteStorageTests {
    @Test("the table is created with the key as its primary key, in WAL mode")
    func primaryKey() async throws {
        try await SQLiteTestDatabase.withLoader { (loader, database) async throws in
            _ = try await loader.load(
                try Fixtures.stream([Fixtures.row("AAPL", "2024-01-02", "1.0000")]),
                request: Fixtures.request(.upsert)
            )
            try database.sql { (db) throws in
                let key = try Row.fetchAll(
                    db,
                    sql: "SELECT name FROM pragma_table_info('prices') WHERE pk > 0 ORDER BY pk"
                )
                .map { $0["name"] as String }
                #expect(key == ["symbol", "date"])
                #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal")
                let types = try Row.fetchAll(db, sql: "SELECT name, type FROM pragma_table_info('prices')")
                    .map { "\($0["name"] as String) \($0["type"] as String)" }
                #expect(types == ["symbol TEXT", "date TEXT", "close TEXT", "volume INTEGER"])
            }
        }
    }

    @Test("every type round-trips; decimals are stored as exact text")
    func storage() async throws {
        let schema = Schema(
            columns: [
                Column("id", .int64), Column("flag", .bool), Column("ratio", .double),
                Column("price", .decimal(precision: 18, scale: 4)), Column("name", .string), Column("day", .date),
                Column("at", .timestamp), Column("raw", .bytes), Column("doc", .json), Column("empty", .string),
            ],
            keyColumns: ["id"]
        )
        let row: [Value] = [
            .int64(1), .bool(true), .double(0.1), .decimal(ExactDecimal("123.4500")!), .string("Ünïcode \"q\""),
            .date(CivilDate("2024-02-29")!), .timestamp(Timestamp("2024-01-02T15:30:00.123456Z")!),
            .bytes([0, 1, 255]), .json(#"{"a":1}"#), .string(""),
        ]
        let nulls: [Value] = [.int64(2)] + Array(repeating: .null, count: 9)
        try await SQLiteTestDatabase.withLoader { (loader, database) async throws in
            let result = try await loader.load(
                try Fixtures.stream([row, nulls], schema: schema),
                request: LoadRequest(table: "things", strategy: .upsert, keyColumns: ["id"])
            )
            #expect(result.metrics.recordsInserted == 2)
            try database.sql { (db) throws in
                let stored = try Row.fetchOne(
                    db,
                    sql: "SELECT price, typeof(price), day, at, flag, typeof(empty), empty FROM things WHERE id = 1"
                )!
                #expect(stored[0] as String == "123.4500")
                #expect(stored[1] as String == "text")
                #expect(stored[2] as String == "2024-02-29")
                #expect(stored[3] as String == "2024-01-02T15:30:00.123456Z")
                #expect(stored[4] as Int == 1)
                #expect(stored[5] as String == "text")
                #expect(stored[6] as String == "")
                #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM things WHERE id = 2 AND price IS NULL") == 1)
            }
            var back: [[Value]] = []
            for try await batch in try await loader.read(table: "things") {
                for index in 0..<batch.count { back.append(batch.row(index)) }
            }
            #expect(back.sorted { ($0[0].text ?? "") < ($1[0].text ?? "") } == [row, nulls])
            #expect(try await loader.verify(table: "things").isValid)
        }
    }

    @Test("a new input column is added as a nullable column")
    func addsColumn() async throws {
        try await SQLiteTestDatabase.withLoader { (loader, database) async throws in
            _ = try await loader.load(
                try Fixtures.stream([Fixtures.row("AAPL", "2024-01-02", "1.0000")]),
                request: Fixtures.request(.upsert)
            )
            let wider = Schema(
                columns: Fixtures.schema.columns + [Column("currency", .string)],
                keyColumns: ["symbol", "date"]
            )
            let result = try await loader.load(
                try Fixtures.stream([Fixtures.row("MSFT", "2024-01-02", "2.0000") + [.string("USD")]], schema: wider),
                request: Fixtures.request(.upsert)
            )
            #expect(result.metrics.recordsInserted == 1)
            #expect(try await loader.schema(of: "prices")?.column(named: "currency") == Column("currency", .string))
            #expect(try await loader.verify(table: "prices").isValid)
            try database.sql { (db) throws in
                #expect(
                    try String.fetchAll(db, sql: "SELECT coalesce(currency, 'NULL') FROM prices ORDER BY symbol")
                        == ["NULL", "USD"]
                )
            }
        }
    }

    @Test("an incompatible type change is refused before anything is written")
    func refusesTypeChange() async throws {
        try await SQLiteTestDatabase.withLoader { (loader, _) async throws in
            let first = try await loader.load(
                try Fixtures.stream([Fixtures.row("AAPL", "2024-01-02", "1.0000")]),
                request: Fixtures.request(.upsert)
            )
            var columns = Fixtures.schema.columns
            columns[2] = Column("close", .string)
            let changed = Schema(columns: columns + [Column("extra", .int64)], keyColumns: ["symbol", "date"])
            let rows: [[Value]] = [
                [.string("MSFT"), .date(CivilDate("2024-01-02")!), .string("x"), .int64(1), .int64(2)]
            ]
            let error = await #expect(throws: SluiceError.self) {
                try await loader.load(try Fixtures.stream(rows, schema: changed), request: Fixtures.request(.upsert))
            }
            #expect(error?.code == .schemaMismatch)
            #expect(
                error?.message == "table 'prices': column 'close' is decimal(18,4) in the table but string in the input"
            )
            #expect(try await loader.schema(of: "prices")?.column(named: "extra") == nil)
            #expect(try await loader.verify(table: "prices").actualChecksum == first.checksum)
        }
    }

    @Test("a key column missing from the input is refused")
    func missingKeyColumn() async throws {
        try await SQLiteTestDatabase.withLoader { (loader, _) async throws in
            let schema = Schema(columns: [Column("date", .date), Column("close", .decimal(precision: 18, scale: 4))])
            let error = await #expect(throws: SluiceError.self) {
                try await loader.validate(schema: schema, request: Fixtures.request(.upsert))
            }
            #expect(error?.code == .invalidKey)
            #expect(error?.message == "key column 'symbol' is not in the input (columns: date, close)")
        }
    }

    @Test("the sqlite: URL opens through withLoader and options are read")
    func urlOptions() async throws {
        let database = try SQLiteTestDatabase()
        defer { try? FileManager.default.removeItem(at: database.directory) }
        let (path, configuration) = try SQLiteLoader.Configuration.parse(
            try TargetURL("sqlite:\(database.path)?busy_timeout=2&without_rowid=false")
        )
        #expect(path == database.path)
        #expect(configuration.busyTimeout == 2)
        #expect(configuration.withoutRowID == false)
        let inserted = try await withLoader("sqlite:\(database.path)", factories: [SQLiteLoader.factory]) { loader in
            try await loader.load(
                try Fixtures.stream([Fixtures.row("AAPL", "2024-01-02", "1.0000")]),
                request: Fixtures.request(.append)
            ).metrics.recordsInserted
        }
        #expect(inserted == 1)
    }
}
