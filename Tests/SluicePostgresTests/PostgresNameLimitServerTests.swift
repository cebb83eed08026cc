import Foundation
import Sluice
import SluiceTesting
import Testing

@testable import SluicePostgres

/// Table and column names at and past PostgreSQL's 63-byte identifier limit, against a real server: every entry
/// point refuses a name the server would cut before touching anything; a 63-byte name gets every derived object
/// (history, primary key, indexes, partitions) under a fitted name of its own; and a history table the server cut
/// before names were fitted is picked up when it belongs to one table only.
@Suite("PostgreSQL name limits (against the server)")
struct PostgresNameLimitServerTests {
    static let tooLong = String(repeating: "g", count: 63) + "1"

    static func load(
        _ loader: any Loader,
        _ table: String,
        _ rows: [[Value]],
        strategy: LoadingStrategy = .upsert,
        indexes: [[String]] = [],
        partitioning: Partitioning? = nil
    ) async throws -> LoadResult {
        try await loader.load(
            try DailyPriceRows.stream(rows),
            request: LoadRequest(
                table: table,
                strategy: strategy,
                keyColumns: DailyPriceRows.schema.keyColumns,
                indexes: indexes,
                partitioning: partitioning
            )
        )
    }

    static func rows(_ close: String, days: Int = 2) -> [[Value]] {
        DailyPriceRows.rows(symbols: ["AAPL", "MSFT"], start: "2024-01-30", days: days, close: close)
    }

    /// The relations in `public`, by name.
    static func relations(_ database: ScratchDatabase) throws -> [String] {
        try database.psql(
            "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
                + "ORDER BY relname"
        ).split(separator: "\n").map(String.init)
    }

    @Test("every entry point refuses a 64-byte table name in one line, and nothing is created")
    func everyEntryPointRefuses() async throws {
        let database = try ScratchDatabase(prefix: "name_limit_entries")
        let table = Self.tooLong
        try await database.withLoader { loader in
            let postgres = try #require(loader as? PostgresLoader)
            let schema = DailyPriceRows.schema
            let selection = RowSelection(column: "date", before: CivilDate("2024-01-01")!)
            let calls: [(String, () async throws -> Void)] = [
                ("validate", { try await loader.validate(schema: schema, request: LoadRequest(table: table)) }),
                ("load", { _ = try await Self.load(loader, table, Self.rows("1.0000")) }),
                ("append", { _ = try await Self.load(loader, table, Self.rows("1.0000"), strategy: .append) }),
                ("schema", { _ = try await loader.schema(of: table) }),
                ("read", { _ = try await loader.read(table: table) }),
                ("versions", { _ = try await loader.versions(table: table) }),
                ("verify", { _ = try await loader.verify(table: table) }),
                ("optimize", { _ = try await loader.optimize(table: table) }),
                ("statistics", { _ = try await loader.statistics(table: table) }),
                ("settings", { _ = try await postgres.settings(table: table) }),
                ("setSetting", { try await postgres.setSetting(table: table, name: "retention", value: "7d") }),
                ("diff", { _ = try await postgres.diff(table: table, from: "a", to: "b", samples: 1) }),
                ("rollback", { _ = try await postgres.rollback(table: table, to: "a") }),
                (
                    "deleteRows",
                    {
                        _ = try await postgres.deleteRows(
                            of: table,
                            in: selection,
                            expectedCount: 0,
                            expectedChecksum: .zero,
                            expectedLatestVersionID: "a",
                            metadata: [:],
                            source: "test"
                        )
                    }
                ),
            ]
            for (name, call) in calls {
                let error = await #expect(throws: SluiceError.self, "\(name)") { try await call() }
                #expect(error?.code == .invalidRequest, "\(name)")
                #expect(
                    error?.message.hasPrefix("table '\(table)': the name is 64 bytes; PostgreSQL keeps at most 63")
                        == true,
                    "\(name): \(error?.message ?? "")"
                )
            }
            // A legal table with a column the server would cut: refused by validate and load alike.
            let column = String(repeating: "c", count: 64)
            let wide = Schema(columns: DailyPriceRows.schema.columns + [Column(column, .int64)], keyColumns: ["symbol"])
            let request = LoadRequest(table: "prices", strategy: .upsert, keyColumns: ["symbol"])
            for call in [
                { try await loader.validate(schema: wide, request: request) },
                {
                    _ = try await loader.load(
                        try RecordStream(schema: wide, source: "wide.csv", rows: []),
                        request: request
                    )
                },
            ] as [() async throws -> Void] {
                let error = await #expect(throws: SluiceError.self) { try await call() }
                #expect(error?.message.hasPrefix("table 'prices': column '\(column)': the name is 64 bytes") == true)
            }
        }
        #expect(try Self.relations(database) == [])
    }

    @Test("a 63-byte table: history, primary key, indexes, partitions and row hashes all get names of their own")
    func aTableAtTheLimitGetsFittedNames() async throws {
        let database = try ScratchDatabase(prefix: "name_limit_63")
        let prefix = String(repeating: "p", count: 62)
        let (first, second) = (prefix + "1", prefix + "2")
        let monthly = Partitioning(column: "date", granularity: .month)
        try await database.withLoader { loader in
            for table in [first, second] {
                // Created by append: the primary key is built after the data (a separate statement to name it).
                _ = try await Self.load(loader, table, Self.rows("1.0000"), strategy: .append, partitioning: monthly)
                _ = try await Self.load(loader, table, Self.rows("2.0000", days: 3), indexes: [["close"]])
                let incremental = try await loader.load(
                    try DailyPriceRows.stream(Self.rows("3.0000", days: 3)),
                    request: LoadRequest(table: table, strategy: .incremental, keyColumns: ["symbol", "date"])
                )
                #expect(incremental.metrics.recordsUpdated == 6)
            }
            let versions = try await loader.versions(table: first)
            #expect(versions.count == 3)
            let rolledBack = try await (loader as? PostgresLoader)?.rollback(table: first, to: versions[0].id)
            #expect(rolledBack?.version != nil)
            #expect(try await loader.verify(table: first).isValid)
            #expect(try await loader.verify(table: second).isValid)
            #expect(try await loader.versions(table: second).count == 3)
        }
        let relations = try Self.relations(database)
        #expect(relations.allSatisfy { $0.utf8.count <= 63 }, "\(relations)")
        #expect(Set(relations).count == relations.count)
        for table in [first, second] {
            let expected = [
                table, PostgresIdentifier.history(of: table), PostgresIdentifier.rowHashes(of: table),
                PostgresIdentifier.partition(table: table, suffix: "default"),
                PostgresIdentifier.partition(table: table, suffix: "2024_01"),
                PostgresIdentifier.partition(table: table, suffix: "2024_02"),
                PostgresIdentifier.index(table: table, columns: ["close"]),
                try #require(PostgresIdentifier.primaryKey(of: table)),
                try #require(PostgresIdentifier.primaryKey(of: PostgresIdentifier.rowHashes(of: table))),
                try #require(PostgresIdentifier.historyIndex(of: PostgresIdentifier.history(of: table))),
            ]
            for name in expected { #expect(relations.contains(name), "\(name) in \(relations)") }
        }
        let closes = try database.psql(
            "SELECT count(*) FILTER (WHERE close = 1), count(*) FROM \(PostgresServer.quoted(first))"
        )
        #expect(closes == "4|4")
        #expect(try database.psql("SELECT count(*) FROM \(PostgresServer.quoted(second)) WHERE close = 3") == "6")
    }

    @Test("a history table the server cut before names were fitted is adopted by a load or rollback when it is theirs")
    func aServerCutHistoryTableIsAdopted() async throws {
        let database = try ScratchDatabase(prefix: "name_limit_adopt")
        // One table picks its old history up in a load, the other in a rollback.
        let (byLoad, byRollback) = (String(repeating: "l", count: 50), String(repeating: "r", count: 50))
        try await database.withLoader { loader in
            for table in [byLoad, byRollback] {
                _ = try await Self.load(loader, table, Self.rows("1.0000"))
                _ = try await Self.load(loader, table, Self.rows("2.0000"))
            }
        }
        // As a load before this change left them: each history under the name the server cut.
        for table in [byLoad, byRollback] {
            let fitted = PostgresServer.quoted(PostgresIdentifier.history(of: table))
            let old = try #require(PostgresHistory.serverTruncatedName(of: table))
            #expect(old.utf8.count == 63 && old != PostgresIdentifier.history(of: table))
            _ = try database.psql("ALTER TABLE \(fitted) RENAME TO \(PostgresServer.quoted(old))")
        }
        try await database.withLoader { loader in
            _ = try await Self.load(loader, byLoad, Self.rows("3.0000"))
            for table in [byLoad, byRollback] {
                let versions = try await loader.versions(table: table)
                let rolledBack = try await (loader as? PostgresLoader)?.rollback(table: table, to: versions[0].id)
                #expect(rolledBack?.version != nil, "\(table)")
                #expect(try await loader.verify(table: table).isValid)
            }
        }
        let relations = try Self.relations(database)
        for table in [byLoad, byRollback] {
            let old = try #require(PostgresHistory.serverTruncatedName(of: table))
            #expect(relations.contains(PostgresIdentifier.history(of: table)) && !relations.contains(old))
            #expect(try database.psql("SELECT count(*) FROM \(PostgresServer.quoted(table)) WHERE close = 1") == "4")
        }
    }

    @Test("a history table the server cut for two tables is left alone; the rollback fails in one line")
    func aSharedServerCutHistoryTableIsNotAdopted() async throws {
        let database = try ScratchDatabase(prefix: "name_limit_shared")
        let prefix = String(repeating: "s", count: 49)
        let (first, second) = (prefix + "1", prefix + "2")
        let old = try #require(PostgresHistory.serverTruncatedName(of: first))
        #expect(PostgresHistory.serverTruncatedName(of: second) == old)
        try await database.withLoader { loader in
            for table in [first, second] {
                _ = try await Self.load(loader, table, Self.rows("1.0000"))
                _ = try await Self.load(loader, table, Self.rows("2.0000"))
            }
        }
        let firstHistory = PostgresServer.quoted(PostgresIdentifier.history(of: first))
        _ = try database.psql("ALTER TABLE \(firstHistory) RENAME TO \(PostgresServer.quoted(old))")
        try await database.withLoader { loader in
            let versions = try await loader.versions(table: first)
            let error = await #expect(throws: SluiceError.self) {
                try await (loader as? PostgresLoader)?.rollback(table: first, to: versions[0].id)
            }
            #expect(error?.message.contains("\n") == false)
            // The other table's history is its own, and its rollback works.
            let secondVersions = try await loader.versions(table: second)
            let rolledBack = try await (loader as? PostgresLoader)?.rollback(table: second, to: secondVersions[0].id)
            #expect(rolledBack?.version != nil)
        }
        let relations = try Self.relations(database)
        #expect(relations.contains(old) && !relations.contains(PostgresIdentifier.history(of: first)))
        #expect(try database.psql("SELECT count(*) FROM \(PostgresServer.quoted(first)) WHERE close = 2") == "4")
    }
}
