import Foundation
import Sluice
import SluiceFiles
import SluiceFormats
import SluiceTesting
import Testing

/// `rollback` publishes an earlier version's files as a new version; `diff` reads the files two versions do not
/// share.
@Suite("File target diff and rollback")
struct FileHistoryTests {
    /// A change loaded after the three months of ``base``.
    enum Change: String, CaseIterable, Sendable {
        case upsert
        case replace
        case incrementalWithDeletes

        var strategy: LoadingStrategy {
            switch self {
            case .upsert: .upsert
            case .replace: .replace
            case .incrementalWithDeletes: .incremental
            }
        }

        var rows: [[Value]] {
            switch self {
            case .upsert: [Quotes.row("S0", "2024-01-02", "99.0000", 102), Quotes.row("S9", "2024-02-02", "1.0000")]
            case .replace: Quotes.rows(months: 2...4, close: "11.0000")
            case .incrementalWithDeletes:
                Quotes.rows(months: 1...2).filter { $0[0] != .string("S1") } + [
                    Quotes.row("S7", "2024-02-15", "7.0000")
                ]
            }
        }
    }

    static let base = Quotes.rows(months: 1...3)
    static let monthly = Partitioning(column: "date", granularity: .month)

    /// Loads ``base`` (partitioned by month when `partitioned`).
    @discardableResult
    func loadBase(_ lake: Lake, partitioned: Bool) async throws -> LoadResult {
        try await lake.load(Self.base, .upsert) { $0.partitioning = partitioned ? Self.monthly : nil }
    }

    @Test(
        "rollback gives back exactly the earlier checksum, as a new version with rollback.to",
        arguments: Change.allCases,
        [false, true]
    )
    func rollbackRestores(change: Change, partitioned: Bool) async throws {
        try await Lake.with { lake in
            let first = try #require(try await loadBase(lake, partitioned: partitioned).version)
            let second = try await lake.load(change.rows, change.strategy) {
                $0.deleteMissing = change == .incrementalWithDeletes
            }
            let changed = try #require(second.version)
            #expect(changed.checksum != first.checksum)
            let result = try await lake.loader.rollback(table: Quotes.table, to: first.id)
            let version = try #require(result.version)
            #expect(result.currentVersionID == version.id && version.id > changed.id)
            #expect(result.checksum == first.checksum && version.checksum == first.checksum)
            #expect(version.strategy == .replace && version.parentID == changed.id)
            #expect(version.metadata["rollback.to"] == first.id)
            #expect(version.recordCount == first.recordCount)
            #expect(result.metrics.recordsInserted > 0 && result.metrics.recordsDeleted > 0)
            let verification = try await lake.loader.verify(table: Quotes.table)
            #expect(verification.isValid && verification.actualChecksum == first.checksum)
            #expect(verification.versionID == version.id)
            #expect(try await lake.contents() == texts(Self.base))
            #expect(try lake.latestManifest().partitioning == (partitioned ? Self.monthly : nil))
            #expect(try await lake.loader.versions(table: Quotes.table).count == 3)
        }
    }

    @Test("rollback counts by file: the rows of the files it brings back and of those it stops listing")
    func rollbackCounts() async throws {
        try await Lake.with { lake in
            let first = try #require(try await loadBase(lake, partitioned: true).version)
            try await lake.load([Quotes.row("S0", "2024-01-02", "99.0000", 102)], .upsert)
            let result = try await lake.loader.rollback(table: Quotes.table, to: first.id)
            // January (6 rows) is rewritten by the upsert: its old file comes back, its new one goes.
            #expect(result.metrics.recordsInserted == 6 && result.metrics.recordsDeleted == 6)
            #expect(result.metrics.recordsUpdated == 0)
        }
    }

    @Test("rollback to the latest version, or a second time to the same one, changes nothing and records nothing")
    func rollbackToLatest() async throws {
        try await Lake.with { lake in
            let first = try #require(try await loadBase(lake, partitioned: false).version)
            let latest = try #require(try await lake.load(Change.upsert.rows, .upsert).version)
            let result = try await lake.loader.rollback(table: Quotes.table, to: latest.id)
            #expect(result.version == nil)
            #expect(result.currentVersionID == latest.id && result.checksum == latest.checksum)
            #expect(try await lake.loader.versions(table: Quotes.table).map(\.id).last == latest.id)
            #expect(try await lake.loader.versions(table: Quotes.table).count == 2)
            let rolledBack = try #require(try await lake.loader.rollback(table: Quotes.table, to: first.id).version)
            let twice = try await lake.loader.rollback(table: Quotes.table, to: first.id)
            #expect(twice.version == nil && twice.currentVersionID == rolledBack.id && twice.checksum == first.checksum)
            #expect(try await lake.loader.versions(table: Quotes.table).count == 3)
        }
    }

    @Test("a rollback carries the earlier version's cursor watermark, so an incremental load continues from there")
    func rollbackKeepsWatermark() async throws {
        try await Lake.with { lake in
            let first = try #require(
                try await lake.load(Quotes.rows(months: 1...1), .incremental) { $0.cursorColumn = "volume" }.version
            )
            let second = try await lake.load(Quotes.rows(months: 2...2), .incremental) { $0.cursorColumn = "volume" }
            #expect(second.version?.metadata["cursor_watermark"] == "215")
            let rollback = try #require(try await lake.loader.rollback(table: Quotes.table, to: first.id).version)
            #expect(rollback.metadata["cursor_column"] == "volume" && rollback.metadata["cursor_watermark"] == "115")
            let again = try await lake.load(Quotes.rows(months: 2...2), .incremental) { $0.cursorColumn = "volume" }
            #expect(again.metrics.recordsInserted == 6)
            #expect(try await lake.contents() == texts(Quotes.rows(months: 1...2)))
        }
    }

    @Test("rollback past retention fails in one line naming the oldest reachable version, and changes nothing")
    func rollbackPastRetention() async throws {
        try await Lake.with { lake in
            for month in 1...4 { try await lake.load(Quotes.rows(months: month...month), .replace) }
            let versions = try await lake.loader.versions(table: Quotes.table)
            _ = try await lake.loader.retain(table: Quotes.table, policy: RetentionPolicy(keepVersions: 2))
            let files = lake.dataFiles()
            let error = await #expect(throws: SluiceError.self) {
                _ = try await lake.loader.rollback(table: Quotes.table, to: versions[0].id)
            }
            #expect(error?.code == .notFound)
            let message = error?.message ?? ""
            #expect(message.contains("'quotes'") && message.contains(versions[0].id))
            #expect(message.contains("the oldest version whose files are all kept is \(versions[2].id)"))
            #expect(!message.contains("\n"))
            #expect(try await lake.loader.versions(table: Quotes.table).map(\.id) == versions.suffix(2).map(\.id))
            #expect(lake.dataFiles() == files)
            #expect(try await lake.loader.verify(table: Quotes.table).isValid)
        }
    }

    @Test("rollback to a version whose files are gone fails and publishes nothing")
    func rollbackToMissingFiles() async throws {
        try await Lake.with { lake in
            for month in 1...3 { try await lake.load(Quotes.rows(months: month...month), .replace) }
            let versions = try await lake.loader.versions(table: Quotes.table)
            let first = try #require(lake.dataFiles().first { $0.contains(versions[0].id) })
            try FileManager.default.removeItem(at: lake.folder().appendingPathComponent(first))
            let error = await #expect(throws: SluiceError.self) {
                _ = try await lake.loader.rollback(table: Quotes.table, to: versions[0].id)
            }
            #expect(error?.code == .notFound)
            #expect(error?.message.contains("1 of its 1 files are no longer kept") == true)
            #expect(error?.message.contains("the oldest version whose files are all kept is \(versions[1].id)") == true)
            #expect(try await lake.loader.versions(table: Quotes.table) == versions)
            let unknown = await #expect(throws: SluiceError.self) {
                _ = try await lake.loader.rollback(table: Quotes.table, to: "no-such-version")
            }
            #expect(unknown?.code == .notFound)
            #expect(unknown?.message.contains("table 'quotes' has no version no-such-version") == true)
        }
    }

    @Test("a load after a rollback merges into the rolled-back state", arguments: [false, true])
    func loadAfterRollback(partitioned: Bool) async throws {
        try await Lake.with { lake in
            let first = try #require(try await loadBase(lake, partitioned: partitioned).version)
            try await lake.load(Change.replace.rows, .replace)
            _ = try await lake.loader.rollback(table: Quotes.table, to: first.id)
            let update = [Quotes.row("S2", "2024-03-15", "5.0000", 315), Quotes.row("S8", "2024-01-15", "8.0000")]
            let result = try await lake.load(update, .upsert)
            #expect(result.metrics.recordsInserted == 1 && result.metrics.recordsUpdated == 1)
            let expected = Self.base.filter { !($0[0] == .string("S2") && $0[1] == update[0][1]) } + update
            #expect(try await lake.contents() == texts(expected))
        }
    }

    @Test("an append a rollback undid loads again; retention and optimize keep what the rollback lists")
    func appendAfterRollback() async throws {
        try await Lake.with { lake in
            let keyless = Quotes.schema.withKey([])
            let first = [Quotes.row("A", "2024-01-02", "1.0000")]
            let second = [Quotes.row("B", "2024-01-02", "2.0000")]
            let v1 = try #require(try await lake.load(first, .append, key: [], schema: keyless).version)
            try await lake.load(second, .append, key: [], schema: keyless)
            _ = try await lake.loader.rollback(table: Quotes.table, to: v1.id)
            let again = try await lake.load(second, .append, key: [], schema: keyless)
            #expect(again.version != nil && again.metrics.recordsInserted == 1)
            #expect(try await lake.contents() == texts(first + second))
            let rerun = try await lake.load(second, .append, key: [], schema: keyless)
            #expect(rerun.version == nil)
            let v4 = try #require(try await lake.loader.versions(table: Quotes.table).last)
            _ = try await lake.loader.rollback(table: Quotes.table, to: v1.id)
            _ = try await lake.loader.retain(table: Quotes.table, policy: RetentionPolicy(keepVersions: 1))
            _ = try await lake.loader.optimize(table: Quotes.table)
            #expect(try await lake.loader.verify(table: Quotes.table).isValid)
            #expect(try await lake.contents() == texts(first))
            #expect(lake.dataFiles().count == 1)
            let gone = await #expect(throws: SluiceError.self) {
                _ = try await lake.loader.rollback(table: Quotes.table, to: v4.id)
            }
            #expect(gone?.code == .notFound)
        }
    }

    @Test("diff of a keyed table: counts and samples, in both orders", arguments: [false, true])
    func keyedDiff(partitioned: Bool) async throws {
        try await Lake.with { lake in
            let first = try #require(try await loadBase(lake, partitioned: partitioned).version)
            // One row updated (the first), one deleted, one inserted.
            var changed = Self.base.filter { $0 != Quotes.row("S1", "2024-02-15", "10.0000", 215) }
            #expect(changed.count == Self.base.count - 1)
            changed[0] = Quotes.row("S0", "2024-01-02", "99.0000", 102)
            changed.append(Quotes.row("S9", "2024-03-02", "1.0000"))
            let second = try #require(try await lake.load(changed, .replace).version)
            let forward = try await lake.loader.diff(table: Quotes.table, from: first.id, to: second.id, samples: 5)
            #expect(forward.from == first.id && forward.to == second.id && forward.table == Quotes.table)
            #expect(forward.inserted == 1 && forward.updated == 1 && forward.deleted == 1)
            #expect(forward.samples.map(\.change) == ["inserted", "updated", "deleted"])
            #expect(
                forward.samples[0].row == ["symbol": "S9", "date": "2024-03-02", "close": "1.0000", "volume": "100"]
            )
            #expect(forward.samples[1].row["close"] == "99.0000")
            #expect(forward.samples[1].before?["close"] == "10.0000")
            #expect(forward.samples[2].row["symbol"] == "S1" && forward.samples[2].row["date"] == "2024-02-15")
            let backward = try await lake.loader.diff(table: Quotes.table, from: second.id, to: first.id, samples: 5)
            #expect(backward.inserted == 1 && backward.updated == 1 && backward.deleted == 1)
            #expect(backward.samples[0].row["symbol"] == "S1")
            #expect(backward.samples[1].row["close"] == "10.0000" && backward.samples[1].before?["close"] == "99.0000")
            #expect(backward.samples[2].row["symbol"] == "S9")
            let counts = try await lake.loader.diff(table: Quotes.table, from: first.id, to: second.id, samples: 0)
            #expect(counts.samples.isEmpty && counts.inserted == 1 && counts.updated == 1 && counts.deleted == 1)
            let rolledBack = try #require(try await lake.loader.rollback(table: Quotes.table, to: first.id).version)
            let none = try await lake.loader.diff(table: Quotes.table, from: first.id, to: rolledBack.id, samples: 5)
            #expect(none.inserted == 0 && none.updated == 0 && none.deleted == 0 && none.samples.isEmpty)
        }
    }

    @Test("diff of a keyless table compares multisets of rows, in both orders")
    func keylessDiff() async throws {
        try await Lake.with { lake in
            let keyless = Quotes.schema.withKey([])
            let a = Quotes.row("A", "2024-01-02", "1.0000")
            let b = Quotes.row("B", "2024-01-02", "2.0000")
            let c = Quotes.row("C", "2024-01-02", "3.0000")
            let v1 = try #require(try await lake.load([a, a, b], .append, key: [], schema: keyless).version)
            let v2 = try #require(try await lake.load([a, c], .append, key: [], schema: keyless).version)
            let v3 = try #require(try await lake.load([a, b, b], .replace, key: [], schema: keyless).version)
            let appended = try await lake.loader.diff(table: Quotes.table, from: v1.id, to: v2.id, samples: 5)
            #expect(appended.inserted == 2 && appended.updated == 0 && appended.deleted == 0)
            #expect(appended.samples.map { $0.row["symbol"] } == ["A", "C"])
            let undone = try await lake.loader.diff(table: Quotes.table, from: v2.id, to: v1.id, samples: 5)
            #expect(undone.inserted == 0 && undone.deleted == 2)
            let replaced = try await lake.loader.diff(table: Quotes.table, from: v2.id, to: v3.id, samples: 2)
            #expect(replaced.inserted == 1 && replaced.updated == 0 && replaced.deleted == 3)
            #expect(replaced.samples.map(\.change) == ["inserted", "deleted", "deleted"])
            #expect(replaced.samples[0].row["symbol"] == "B")
            let back = try await lake.loader.diff(table: Quotes.table, from: v3.id, to: v2.id, samples: 5)
            #expect(back.inserted == 3 && back.deleted == 1)
            #expect(back.samples.filter { $0.change == "inserted" }.count == 3)
        }
    }

    @Test(
        "a column added in between: diff reads it as NULL on the older side; rollback drops it and a load adds it back",
        arguments: [FileFormat.csv, .parquet]
    )
    func addedColumn(format: FileFormat) async throws {
        try await Lake.with(output: FileOutputOptions(format: format)) { lake in
            let first = try #require(try await loadBase(lake, partitioned: true).version)
            let wider = Schema(columns: Quotes.schema.columns + [Column("note", .string)], keyColumns: Quotes.key)
            let noted = Quotes.row("S0", "2024-02-02", "10.0000", 202) + [.string("checked")]
            let second = try #require(try await lake.load([noted], .upsert, schema: wider).version)
            let diff = try await lake.loader.diff(table: Quotes.table, from: first.id, to: second.id, samples: 3)
            #expect(diff.inserted == 0 && diff.updated == 1 && diff.deleted == 0)
            #expect(diff.samples.first?.row["note"] == "checked")
            #expect(diff.samples.first?.before?["note"] == .some(nil))
            let rollback = try #require(try await lake.loader.rollback(table: Quotes.table, to: first.id).version)
            #expect(rollback.schema == first.schema)
            #expect(try await lake.loader.verify(table: Quotes.table).actualChecksum == first.checksum)
            try await lake.load([noted], .upsert, schema: wider)
            #expect(try await lake.loader.schema(of: Quotes.table) == wider)
        }
    }

    @Test("diff of an unknown version or table fails naming it")
    func diffUnknown() async throws {
        try await Lake.with { lake in
            let first = try #require(try await loadBase(lake, partitioned: false).version)
            let error = await #expect(throws: SluiceError.self) {
                try await lake.loader.diff(table: Quotes.table, from: first.id, to: "nope", samples: 1)
            }
            #expect(error?.code == .notFound)
            #expect(error?.message.contains("table 'quotes' has no version nope") == true)
            let table = await #expect(throws: SluiceError.self) {
                try await lake.loader.diff(table: "missing", from: first.id, to: first.id, samples: 1)
            }
            #expect(table?.code == .notFound && table?.message.contains("'missing'") == true)
        }
    }
}
