import Sluice
import SluiceTesting
import Testing

/// DESIGN §3, row by row: every strategy against a new key, an existing key changed, an existing key unchanged
/// and a key the input holds twice — the same on every target.
@Suite("Loading strategies")
struct StrategyConformanceTests {
    static let apple = Prices.row("AAPL", "2024-01-02", "185.6400", 100)
    static let microsoft = Prices.row("MSFT", "2024-01-02", "370.8700", 200)
    static let google = Prices.row("GOOG", "2024-01-02", "138.1700", 300)
    static let base = [apple, microsoft, google]

    static let nvidia = Prices.row("NVDA", "2024-01-02", "48.1700", 400)  // new key
    static let appleChanged = Prices.row("AAPL", "2024-01-02", "185.6500", 100)  // existing key, changed
    static let googleFirst = Prices.row("GOOG", "2024-01-02", "139.0000", 300)  // duplicate, superseded
    static let googleLast = Prices.row("GOOG", "2024-01-02", "140.0000", 300)  // duplicate, wins
    /// New, changed, unchanged (Microsoft), and a duplicate key.
    static let mixed = [nvidia, appleChanged, microsoft, googleFirst, googleLast]

    /// One row of the table: a strategy, what it counts on `mixed` after `base`, and what the table holds.
    struct Case: Sendable, CustomTestStringConvertible {
        var strategy: LoadingStrategy
        var counts: Counts
        var contents: [[Value]]
        var testDescription: String { strategy.rawValue }
    }

    static let cases: [Case] = [
        Case(
            strategy: .upsert,
            counts: Counts(processed: 5, inserted: 1, updated: 2, skipped: 2),
            contents: [nvidia, appleChanged, microsoft, googleLast]
        ),
        Case(
            strategy: .updateOnly,
            counts: Counts(processed: 5, updated: 2, skipped: 3),
            contents: [appleChanged, microsoft, googleLast]
        ),
        Case(
            strategy: .incremental,
            counts: Counts(processed: 5, inserted: 1, updated: 2, skipped: 2),
            contents: [nvidia, appleChanged, microsoft, googleLast]
        ),
        Case(
            strategy: .replace,
            counts: Counts(processed: 5, inserted: 1, updated: 2, skipped: 2),
            contents: [nvidia, appleChanged, microsoft, googleLast]
        ),
    ]

    @Test("keyed strategies: new, changed, unchanged, in-batch duplicate", arguments: ConformanceTarget.all, cases)
    func keyedStrategy(target: ConformanceTarget, expected: Case) async throws {
        try await target.withLoader { (loader) async throws in
            let first = try await loader.load(Self.base, .upsert)
            #expect(Counts(first) == Counts(processed: 3, inserted: 3))
            let result = try await loader.load(Self.mixed, expected.strategy)
            #expect(Counts(result) == expected.counts)
            #expect(try await loader.contents() == texts(expected.contents))
            #expect(result.version?.parentID == first.version?.id)
            #expect(result.version?.recordCount == expected.contents.count)
            #expect(result.checksum == result.version?.checksum)
            #expect(try await loader.versions(table: Prices.table).count == 2)
        }
    }

    @Test(
        "a rerun of the same input changes nothing",
        arguments: ConformanceTarget.all,
        [LoadingStrategy.upsert, .updateOnly, .incremental, .replace]
    )
    func rerunIsNoOp(target: ConformanceTarget, strategy: LoadingStrategy) async throws {
        try await target.withLoader { (loader) async throws in
            let first = try await loader.load(Self.base, .upsert)
            let rerun = try await loader.load(Self.base, strategy)
            #expect(rerun.version == nil)
            #expect(rerun.currentVersionID == first.version?.id)
            #expect(rerun.checksum == first.checksum)
            #expect(Counts(rerun) == Counts(processed: 3, skipped: 3))
            #expect(try await loader.versions(table: Prices.table).count == 1)
        }
    }

    @Test("insert-only adds new keys", arguments: ConformanceTarget.all)
    func insertOnlyNewKeys(target: ConformanceTarget) async throws {
        try await target.withLoader { (loader) async throws in
            _ = try await loader.load(Self.base, .insertOnly)
            let result = try await loader.load([Self.nvidia], .insertOnly)
            #expect(Counts(result) == Counts(processed: 1, inserted: 1))
            #expect(try await loader.contents() == texts(Self.base + [Self.nvidia]))
        }
    }

    @Test("insert-only fails on existing keys and changes nothing", arguments: ConformanceTarget.all)
    func insertOnlyConflictFails(target: ConformanceTarget) async throws {
        try await target.withLoader { (loader) async throws in
            let first = try await loader.load(Self.base, .insertOnly)
            let error = await #expect(throws: SluiceError.self) {
                try await loader.load([Self.nvidia, Self.appleChanged, Self.microsoft], .insertOnly)
            }
            #expect(error?.code == .keyConflict)
            #expect(
                error?.message
                    == "table 'prices': 2 keys already exist, first: (symbol=AAPL, date=2024-01-02), "
                    + "(symbol=MSFT, date=2024-01-02)"
            )
            #expect(try await loader.verify(table: Prices.table).actualChecksum == first.checksum)
            #expect(try await loader.contents() == texts(Self.base))
            #expect(try await loader.versions(table: Prices.table).count == 1)
        }
    }

    @Test("insert-only with --on-conflict skip skips existing keys", arguments: ConformanceTarget.all)
    func insertOnlyConflictSkips(target: ConformanceTarget) async throws {
        try await target.withLoader { (loader) async throws in
            _ = try await loader.load(Self.base, .insertOnly)
            let result = try await loader.load([Self.nvidia, Self.appleChanged, Self.microsoft], .insertOnly) {
                $0.onConflict = .skip
            }
            #expect(Counts(result) == Counts(processed: 3, inserted: 1, skipped: 2))
            #expect(try await loader.contents() == texts(Self.base + [Self.nvidia]))
        }
    }

    @Test("insert-only fails on a key the input holds twice", arguments: ConformanceTarget.all)
    func insertOnlyDuplicateInInput(target: ConformanceTarget) async throws {
        try await target.withLoader { (loader) async throws in
            let first = try await loader.load(Self.base, .insertOnly)
            let error = await #expect(throws: SluiceError.self) {
                try await loader.load([Self.nvidia, Self.googleFirst, Self.nvidia], .insertOnly) {
                    $0.onConflict = .skip
                }
            }
            #expect(error?.code == .invalidKey)
            #expect(
                error?.message
                    == "prices.csv:3: duplicate key (symbol=NVDA, date=2024-01-02) in the input, first at line 1"
            )
            #expect(try await loader.latestChecksum() == first.checksum)
            #expect(try await loader.contents() == texts(Self.base))
        }
    }

    @Test("replace deletes vanished keys, atomically", arguments: ConformanceTarget.all)
    func replaceDeletesVanishedKeys(target: ConformanceTarget) async throws {
        try await target.withLoader { (loader) async throws in
            _ = try await loader.load(Self.base, .upsert)
            let result = try await loader.load([Self.appleChanged, Self.nvidia, Self.nvidia], .replace)
            #expect(Counts(result) == Counts(processed: 3, inserted: 1, updated: 1, deleted: 2, skipped: 1))
            #expect(try await loader.contents() == texts([Self.appleChanged, Self.nvidia]))
            #expect(result.version?.recordCount == 2)
        }
    }

    @Test("replace without a key makes the table exactly the input", arguments: ConformanceTarget.all)
    func replaceWithoutKey(target: ConformanceTarget) async throws {
        try await target.withLoader { (loader) async throws in
            _ = try await loader.load(Self.base, .append, key: [])
            let result = try await loader.load([Self.nvidia, Self.nvidia], .replace, key: [])
            #expect(Counts(result) == Counts(processed: 2, inserted: 2, deleted: 3))
            #expect(try await loader.contents() == texts([Self.nvidia, Self.nvidia]))
            let rerun = try await loader.load([Self.nvidia, Self.nvidia], .replace, key: [])
            #expect(rerun.version == nil)
            #expect(Counts(rerun) == Counts(processed: 2, skipped: 2))
        }
    }

    @Test("append inserts every row, duplicates included", arguments: ConformanceTarget.all)
    func appendInsertsEverything(target: ConformanceTarget) async throws {
        try await target.withLoader { (loader) async throws in
            _ = try await loader.load(Self.base, .append, key: [])
            let result = try await loader.load(Self.mixed, .append, key: [])
            #expect(Counts(result) == Counts(processed: 5, inserted: 5))
            #expect(try await loader.contents() == texts(Self.base + Self.mixed))
            #expect(result.version?.recordCount == 8)
        }
    }

    @Test("an append rerun is a no-op unless forced", arguments: ConformanceTarget.all)
    func appendRerun(target: ConformanceTarget) async throws {
        try await target.withLoader { (loader) async throws in
            let first = try await loader.load(Self.base, .append, key: [])
            let rerun = try await loader.load(Self.base, .append, key: [])
            #expect(rerun.version == nil)
            #expect(rerun.checksum == first.checksum)
            #expect(Counts(rerun) == Counts(processed: 3, skipped: 3))
            #expect(try await loader.contents().count == 3)
            let forced = try await loader.load(Self.base, .append, key: []) { $0.force = true }
            #expect(Counts(forced) == Counts(processed: 3, inserted: 3))
            #expect(try await loader.contents() == texts(Self.base + Self.base))
        }
    }

    @Test(
        "an append rerun into a keyed table is a no-op too; forced, it fails on the key",
        arguments: ConformanceTarget.all
    )
    func appendRerunIntoAKeyedTable(target: ConformanceTarget) async throws {
        try await target.withLoader { (loader) async throws in
            let first = try await loader.load(Self.base, .append)
            #expect(Counts(first) == Counts(processed: 3, inserted: 3))
            let rerun = try await loader.load(Self.base, .append)
            #expect(rerun.version == nil)
            #expect(rerun.currentVersionID == first.version?.id)
            #expect(Counts(rerun) == Counts(processed: 3, skipped: 3))
            let error = await #expect(throws: SluiceError.self) {
                try await loader.load(Self.base, .append) { $0.force = true }
            }
            #expect(error?.code == .keyConflict)
            let verification = try await loader.verify(table: Prices.table)
            #expect(verification.isValid && verification.versionID == first.version?.id)
            #expect(try await loader.contents() == texts(Self.base))
        }
    }

    @Test(
        "keyed strategies need a key",
        arguments: ConformanceTarget.all,
        [LoadingStrategy.insertOnly, .updateOnly, .upsert, .incremental]
    )
    func keyRequired(target: ConformanceTarget, strategy: LoadingStrategy) async throws {
        try await target.withLoader { (loader) async throws in
            let error = await #expect(throws: SluiceError.self) {
                try await loader.load(Self.base, strategy, key: [])
            }
            #expect(error?.code == .invalidKey)
            #expect(error?.message == "strategy \(strategy.rawValue) needs key columns (--key)")
            #expect(try await loader.schema(of: Prices.table) == nil)
        }
    }

    @Test("a later load uses the table's key when none is given", arguments: ConformanceTarget.all)
    func tableKeyIsDefault(target: ConformanceTarget) async throws {
        try await target.withLoader { (loader) async throws in
            _ = try await loader.load(Self.base, .upsert)
            let result = try await loader.load([Self.appleChanged], .upsert, key: [])
            #expect(Counts(result) == Counts(processed: 1, updated: 1))
        }
    }
}
