import Sluice
import SluiceTesting
import Testing

/// Diff and rollback behave the same on every target that keeps history: SQLite and PostgreSQL (before-images) and
/// the file target (manifests).
@Suite("History conformance")
struct HistoryConformanceTests {
    static let targets: [ConformanceTarget] = [.sqlite, .postgres, .files]

    /// `symbols` symbols over `days` days from 2024-01-01, the close shifted by `revision`.
    static func rows(symbols: Int = 3, days: Int = 12, revision: Int = 0) -> [[Value]] {
        (0..<symbols).flatMap { symbol in
            (0..<days).map { day in
                Prices.row(
                    "S\(symbol)",
                    CivilDate("2024-01-01")!.adding(days: day).description,
                    "\(100 + symbol * 10 + day + revision).2500",
                    Int64(day * 100 + symbol)
                )
            }
        }
    }

    static func history(_ loader: any Loader) throws -> any VersionHistory {
        try #require(loader as? any VersionHistory, "\(loader.target) keeps no history")
    }

    @Test(
        "rollback after upsert, replace and incremental with deletions gives back each earlier checksum exactly",
        arguments: targets
    )
    func rollback(target: ConformanceTarget) async throws {
        try await target.withLoader { loader in
            let history = try Self.history(loader)
            let base = try await loader.load(Self.rows(), .upsert)
            let baseRows = try await loader.contents()
            let upsert = try await loader.load(Self.rows(symbols: 4, days: 15, revision: 3), .upsert)
            let replace = try await loader.load(Self.rows(symbols: 2, days: 6, revision: 5), .replace)
            let incremental = try await loader.load(Self.rows(symbols: 2, days: 4, revision: 9), .incremental) {
                $0.deleteMissing = true
            }
            #expect(Counts(upsert).updated == 36 && Counts(upsert).inserted == 24)
            #expect(Counts(replace).deleted > 0 && Counts(incremental).deleted == 4)
            for goal in [replace, upsert, incremental, base] {
                let version = try #require(goal.version)
                let rolled = try await history.rollback(table: Prices.table, to: version.id)
                let recorded = try #require(rolled.version, "rollback to \(version.id) recorded nothing")
                #expect(recorded.checksum == version.checksum)
                #expect(recorded.recordCount == version.recordCount)
                #expect(recorded.metadata["rollback.to"] == version.id)
                try await loader.expectVerified()
            }
            #expect(try await loader.contents() == baseRows)
            // Rolling back to the latest version records nothing.
            let latest = try #require(try await loader.versions(table: Prices.table).last)
            #expect(try await history.rollback(table: Prices.table, to: latest.id).version == nil)
        }
    }

    @Test("a load after a rollback builds on the rolled-back state", arguments: targets)
    func loadAfterRollback(target: ConformanceTarget) async throws {
        try await target.withLoader { loader in
            let history = try Self.history(loader)
            let first = try await loader.load(Self.rows(), .upsert)
            _ = try await loader.load(Self.rows(revision: 4), .upsert)
            _ = try await history.rollback(table: Prices.table, to: first.version!.id)
            let next = try await loader.load(Self.rows(symbols: 1, revision: 6), .upsert)
            #expect(Counts(next).updated == 12 && Counts(next).inserted == 0)
            try await loader.expectVerified()
        }
    }

    @Test("diff counts inserted, updated and deleted rows, in both directions", arguments: targets)
    func diff(target: ConformanceTarget) async throws {
        try await target.withLoader { loader in
            let history = try Self.history(loader)
            let first = try await loader.load(Self.rows(symbols: 2, days: 10), .upsert)
            // S0 changes its first 4 days, S2 arrives, S1 goes.
            let changed = Self.rows(symbols: 1, days: 4, revision: 7) + Self.rows(symbols: 1, days: 10).suffix(6)
            let added = Self.rows(symbols: 3, days: 10).filter { $0[0] == .string("S2") }
            let second = try await loader.load(changed + added, .incremental) { $0.deleteMissing = true }
            let forward = try await history.diff(
                table: Prices.table,
                from: first.version!.id,
                to: second.version!.id,
                samples: 3
            )
            #expect([forward.inserted, forward.updated, forward.deleted] == [10, 4, 10])
            #expect(forward.samples.filter { $0.change == "updated" }.allSatisfy { $0.row["symbol"] == "S0" })
            #expect(forward.samples.filter { $0.change == "deleted" }.allSatisfy { $0.row["symbol"] == "S1" })
            #expect(forward.samples.count == 9)
            let backward = try await history.diff(
                table: Prices.table,
                from: second.version!.id,
                to: first.version!.id,
                samples: 0
            )
            #expect([backward.inserted, backward.updated, backward.deleted] == [10, 4, 10])
            #expect(try await loader.versions(table: Prices.table).last?.id == second.version?.id)
            try await loader.expectVerified()
        }
    }

    @Test("keyless tables: rollback after appends (duplicates included) and a replace", arguments: targets)
    func keyless(target: ConformanceTarget) async throws {
        try await target.withLoader { loader in
            let history = try Self.history(loader)
            let keyless = Schema(columns: Prices.schema.columns)
            let rows = Self.rows(days: 5)
            let first = try await loader.load(rows + Array(rows.prefix(2)), .append, key: [], schema: keyless)
            let firstRows = try await loader.contents()
            _ = try await loader.load(
                Array(rows.prefix(4)) + Array(Self.rows(symbols: 1, revision: 2).prefix(3)),
                .append,
                key: [],
                schema: keyless
            ) { $0.force = true }
            _ = try await loader.load(Self.rows(symbols: 1, days: 3), .replace, key: [], schema: keyless)
            _ = try await loader.load(Array(rows.prefix(1)), .append, key: [], schema: keyless) { $0.force = true }
            let rolled = try await history.rollback(table: Prices.table, to: first.version!.id)
            #expect(rolled.version?.checksum == first.version?.checksum)
            #expect(try await loader.contents() == firstRows)
            try await loader.expectVerified()
        }
    }

    @Test("appends into a keyed table are rolled back by key", arguments: targets)
    func keyedAppend(target: ConformanceTarget) async throws {
        try await target.withLoader { loader in
            let history = try Self.history(loader)
            let first = try await loader.load(Self.rows(symbols: 2), .append)
            let more = Self.rows(symbols: 4).filter { $0[0] == .string("S2") || $0[0] == .string("S3") }
            let second = try await loader.load(more, .append)
            #expect(Counts(second).inserted == 24)
            let rolled = try await history.rollback(table: Prices.table, to: first.version!.id)
            #expect(rolled.version?.checksum == first.version?.checksum)
            // The SQL targets count rows; the file target counts the rows of the files it drops and brings back (a
            // rewritten partition's rows count as deleted and inserted).
            let deleted = try #require(rolled.version?.metrics.recordsDeleted)
            #expect(target.name == "files" ? deleted >= 24 : deleted == 24)
            // The same rows append again after the rollback.
            let again = try await loader.load(more, .append)
            #expect(Counts(again).inserted == 24)
            try await loader.expectVerified()
        }
    }

    @Test("rollback and diff on a table partitioned by month", arguments: [ConformanceTarget.postgres, .files])
    func partitioned(target: ConformanceTarget) async throws {
        try await target.withLoader { loader in
            let history = try Self.history(loader)
            let monthly = Partitioning(column: "date", granularity: .month)
            let first = try await loader.load(Self.rows(days: 45), .upsert) { $0.partitioning = monthly }
            let second = try await loader.load(Self.rows(symbols: 4, days: 60, revision: 2), .upsert)
            #expect(Counts(second).inserted == 240 - 135 && Counts(second).updated == 135)
            let diff = try await history.diff(
                table: Prices.table,
                from: first.version!.id,
                to: second.version!.id,
                samples: 1
            )
            #expect([diff.inserted, diff.updated, diff.deleted] == [105, 135, 0])
            let rolled = try await history.rollback(table: Prices.table, to: first.version!.id)
            #expect(rolled.version?.checksum == first.version?.checksum)
            try await loader.expectVerified()
        }
    }
}
