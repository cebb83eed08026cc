import Foundation
import GRDB
import Sluice
import SluiceSQLite
import Testing

/// History on SQLite: every load records what it changed; rollback gives back exactly an earlier version's checksum,
/// and diff counts what changed between two versions.
@Suite("SQLite history, diff and rollback")
struct SQLiteHistoryTests {
    static let table = "prices"

    /// Rows for `symbols` symbols over `days` days from 2024-01-01, the close shifted by `revision`.
    static func rows(symbols: Int = 3, days: Int = 20, revision: Int = 0) -> [[Value]] {
        (0..<symbols).flatMap { symbol in
            (0..<days).map { day in
                Fixtures.row(
                    "S\(symbol)",
                    CivilDate("2024-01-01")!.adding(days: day).description,
                    "\(100 + symbol * 10 + day + revision).2500",
                    Int64(day * 100 + symbol)
                )
            }
        }
    }

    @discardableResult
    static func load(
        _ loader: SQLiteLoader,
        _ rows: [[Value]],
        _ strategy: LoadingStrategy,
        key: [String] = Fixtures.schema.keyColumns,
        configure: (inout LoadRequest) -> Void = { _ in }
    ) async throws -> LoadResult {
        var request = LoadRequest(table: table, strategy: strategy, keyColumns: key)
        configure(&request)
        let schema = Schema(columns: Fixtures.schema.columns, keyColumns: key)
        return try await loader.load(try Fixtures.stream(rows, schema: schema), request: request)
    }

    static func contents(_ loader: SQLiteLoader) async throws -> [[String]] {
        var rows: [[String]] = []
        for try await batch in try await loader.read(table: table) {
            for row in 0..<batch.count { rows.append(batch.row(row).map { $0.text ?? "∅" }) }
        }
        return rows.sorted { $0.lexicographicallyPrecedes($1) }
    }

    @Test(
        "rollback after upsert, keyed replace and incremental with deletions gives back each earlier checksum exactly"
    )
    func rollbackEachStrategy() async throws {
        try await SQLiteTestDatabase.withLoader { loader, _ in
            let base = try await Self.load(loader, Self.rows(), .upsert)
            let baseRows = try await Self.contents(loader)
            let upsert = try await Self.load(loader, Self.rows(symbols: 4, days: 25, revision: 3), .upsert)
            #expect(upsert.metrics.recordsUpdated > 0 && upsert.metrics.recordsInserted > 0)
            let replace = try await Self.load(loader, Self.rows(symbols: 2, days: 10, revision: 5), .replace)
            #expect(replace.metrics.recordsDeleted > 0)
            let incremental = try await Self.load(loader, Self.rows(symbols: 2, days: 5, revision: 9), .incremental) {
                $0.deleteMissing = true
            }
            #expect(incremental.metrics.recordsDeleted > 0 && incremental.metrics.recordsUpdated > 0)

            for target in [replace, upsert, base] {
                let version = try #require(target.version)
                let rolled = try await loader.rollback(table: Self.table, to: version.id)
                let recorded = try #require(rolled.version)
                #expect(recorded.checksum == version.checksum)
                #expect(recorded.recordCount == version.recordCount)
                #expect(recorded.metadata["rollback.to"] == version.id)
                #expect(recorded.strategy == .replace)
                #expect(try await loader.verify(table: Self.table).isValid)
                #expect(try await loader.versions(table: Self.table).last?.checksum == version.checksum)
            }
            #expect(try await Self.contents(loader) == baseRows)
        }
    }

    @Test("a rollback can itself be rolled back, and rolling back to the latest version changes nothing")
    func rollbackOfRollback() async throws {
        try await SQLiteTestDatabase.withLoader { loader, _ in
            let first = try await Self.load(loader, Self.rows(), .upsert)
            let second = try await Self.load(loader, Self.rows(symbols: 5, revision: 1), .upsert)
            let latestRows = try await Self.contents(loader)
            let back = try await loader.rollback(table: Self.table, to: first.version!.id)
            #expect(back.version?.metrics.recordsDeleted == 40)
            #expect(back.version?.metrics.recordsUpdated == 60)
            let forward = try await loader.rollback(table: Self.table, to: second.version!.id)
            #expect(forward.version?.checksum == second.version?.checksum)
            #expect(try await Self.contents(loader) == latestRows)

            let none = try await loader.rollback(table: Self.table, to: forward.version!.id)
            #expect(none.version == nil)
            #expect(none.checksum == forward.checksum)
            #expect(try await loader.versions(table: Self.table).count == 4)
        }
    }

    @Test("keyless tables: rollback after appends and a replace, by row content")
    func keyless() async throws {
        try await SQLiteTestDatabase.withLoader { loader, _ in
            let rows = Self.rows(days: 5)
            let first = try await Self.load(loader, rows + Array(rows.prefix(2)), .append, key: [])
            let firstRows = try await Self.contents(loader)
            try await Self.load(
                loader,
                Array(rows.prefix(4)) + Array(Self.rows(symbols: 1, revision: 2).prefix(3)),
                .append,
                key: []
            ) {
                $0.force = true
            }
            try await Self.load(loader, Self.rows(symbols: 1, days: 3), .replace, key: [])
            try await Self.load(loader, Array(rows.prefix(1)), .append, key: []) { $0.force = true }
            let rolled = try await loader.rollback(table: Self.table, to: first.version!.id)
            #expect(rolled.version?.checksum == first.version?.checksum)
            #expect(try await Self.contents(loader) == firstRows)
            #expect(try await loader.verify(table: Self.table).isValid)
        }
    }

    @Test("going back past a version loaded without history fails in one line, naming how far back it can go")
    func beyondHistory() async throws {
        try await SQLiteTestDatabase.withLoader { loader, _ in
            let first = try await Self.load(loader, Self.rows(), .upsert)
            let second = try await Self.load(loader, Self.rows(revision: 1), .upsert) { $0.recordsHistory = false }
            let third = try await Self.load(loader, Self.rows(revision: 2), .upsert)
            let error = try await #require(throws: SluiceError.self) {
                try await loader.rollback(table: Self.table, to: first.version!.id)
            }
            #expect(error.code == .notFound)
            #expect(error.message.contains("reaches back to version \(second.version!.id) only"), "\(error.message)")
            #expect(!error.message.contains("\n"))
            #expect(try await loader.versions(table: Self.table).last?.id == third.version?.id)
            #expect(try await loader.verify(table: Self.table).isValid)
            let back = try await loader.rollback(table: Self.table, to: second.version!.id)
            #expect(back.version?.checksum == second.version?.checksum)

            let unknown = try await #require(throws: SluiceError.self) {
                try await loader.rollback(table: Self.table, to: "no-such-version")
            }
            #expect(unknown.message == "table 'prices' has no version no-such-version")
        }
    }

    @Test("history is kept for the newest 10 versions")
    func retention() async throws {
        try await SQLiteTestDatabase.withLoader { loader, database in
            var versions: [DataVersion] = []
            for revision in 0..<12 {
                versions.append(
                    try await Self.load(loader, Self.rows(symbols: 1, days: 3, revision: revision), .upsert).version!
                )
            }
            let kept = try database.sql { db in
                try String.fetchAll(db, sql: #"SELECT DISTINCT "_sluice_version" FROM "_sluice_history_prices""#)
            }
            #expect(Set(kept) == Set(versions.suffix(10).map(\.id)))
            await #expect(throws: SluiceError.self) { try await loader.rollback(table: Self.table, to: versions[0].id) }
            let back = try await loader.rollback(table: Self.table, to: versions[1].id)
            #expect(back.version?.checksum == versions[1].checksum)
        }
    }

    @Test("diff counts inserted, updated and deleted rows with samples, in both directions")
    func diff() async throws {
        try await SQLiteTestDatabase.withLoader { loader, _ in
            let first = try await Self.load(loader, Self.rows(symbols: 2, days: 10), .upsert)
            // S0 changes its first 4 days, S2 arrives, S1 goes.
            let changed = Self.rows(symbols: 1, days: 4, revision: 7) + Self.rows(symbols: 1, days: 10).suffix(6)
            let added = Self.rows(symbols: 3, days: 10).filter { $0[0] == .string("S2") }
            let second = try await Self.load(loader, changed + added, .incremental) { $0.deleteMissing = true }
            let third = try await Self.load(loader, Self.rows(symbols: 1, days: 1, revision: 8), .upsert)

            let forward = try await loader.diff(
                table: Self.table,
                from: first.version!.id,
                to: second.version!.id,
                samples: 2
            )
            #expect(forward.inserted == 10)
            #expect(forward.updated == 4)
            #expect(forward.deleted == 10)
            #expect(forward.samples.filter { $0.change == "inserted" }.count == 2)
            let updated = try #require(forward.samples.first { $0.change == "updated" })
            #expect(updated.row["symbol"] == "S0")
            #expect(updated.before?["close"] != updated.row["close"])
            #expect(forward.samples.first { $0.change == "deleted" }?.row["symbol"] == "S1")

            let backward = try await loader.diff(
                table: Self.table,
                from: second.version!.id,
                to: first.version!.id,
                samples: 0
            )
            #expect(backward.inserted == 10 && backward.deleted == 10 && backward.updated == 4)
            #expect(backward.samples.isEmpty)

            let all = try await loader.diff(
                table: Self.table,
                from: first.version!.id,
                to: third.version!.id,
                samples: 1
            )
            #expect(all.updated == 4)  // S0's first day changed twice: still one updated row
            // The diff changes nothing.
            #expect(try await loader.versions(table: Self.table).last?.id == third.version?.id)
            #expect(try await loader.verify(table: Self.table).isValid)
        }
    }

    @Test("a load without history records none, and its version says so")
    func withoutHistory() async throws {
        try await SQLiteTestDatabase.withLoader { loader, database in
            let result = try await Self.load(loader, Self.rows(), .upsert) { $0.recordsHistory = false }
            #expect(result.version?.metadata["history"] == nil)
            let tables = try database.sql { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE name LIKE '_sluice_history_%'")
            }
            #expect(tables.isEmpty)
            let recorded = try await Self.load(loader, Self.rows(revision: 1), .upsert)
            #expect(recorded.version?.metadata["history"] == "recorded")
        }
    }
}

extension SQLiteHistoryTests {
    @Test("the table setting history.keep_versions bounds the history kept")
    func keptVersionsSetting() async throws {
        try await SQLiteTestDatabase.withLoader { loader, database in
            try await loader.setSetting(table: Self.table, name: "history.keep_versions", value: "2")
            var versions: [DataVersion] = []
            for revision in 0..<4 {
                versions.append(
                    try await Self.load(loader, Self.rows(symbols: 1, days: 3, revision: revision), .upsert).version!
                )
            }
            let kept = try database.sql { db in
                try String.fetchAll(db, sql: #"SELECT DISTINCT "_sluice_version" FROM "_sluice_history_prices""#)
            }
            #expect(Set(kept) == Set(versions.suffix(2).map(\.id)))
            let error = try await #require(throws: SluiceError.self) {
                try await loader.rollback(table: Self.table, to: versions[0].id)
            }
            #expect(error.message.contains("reaches back to version \(versions[1].id) only"), "\(error.message)")
        }
    }
}
