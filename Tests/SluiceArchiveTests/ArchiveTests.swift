import Foundation
import Sluice
import SluiceArchive
import SluiceFiles
import SluiceTesting
import Testing

/// Archiving from SQLite, PostgreSQL and the file target into the file target: verified before anything is deleted,
/// resumable after a stop at every step, and restorable.
@Suite("Archive")
struct ArchiveTests {
    static let cutoff = "2024-01-01"
    static let selection = RowSelection(column: "date", before: CivilDate(cutoff))

    @Test(
        "archiving moves the rows before the cutoff to the archive, verified, and leaves the rest",
        arguments: SourceTarget.all
    )
    func archive(source: SourceTarget) async throws {
        try await source.withLoader { loader in
            let rows = History.rows()
            let loaded = try await loader.loadPrices(rows, .upsert)
            let archive = Scratch.files()
            let result = try await Archiver.archive(
                ArchiveRequest(table: History.table, selection: Self.selection),
                from: loader,
                to: archive
            )
            let old = History.before(rows, Self.cutoff)
            let recent = History.from(rows, Self.cutoff)
            #expect(result.rows == old.count)
            let batch = try #require(result.batches.first)
            #expect(result.batches.count == 1)
            #expect(!batch.resumed)
            #expect(batch.checksum == History.checksum(old))

            #expect(try await loader.contents(History.table) == texts(recent))
            #expect(try await loader.checksum() == History.checksum(recent))
            #expect(try await loader.verify(table: History.table).isValid)
            let deleting = try #require(try await loader.versions(table: History.table).last)
            #expect(deleting.id == batch.sourceVersionID)
            #expect(deleting.parentID == loaded.version?.id)
            #expect(deleting.metrics.recordsDeleted == old.count)
            #expect(deleting.metadata["archive.id"] == batch.id)
            #expect(deleting.metadata["archive.version"] == batch.archiveVersionID)
            // The SQL targets delete the window directly (no input); the file target loads back the rows it keeps.
            #expect((deleting.inputChecksum == ContentChecksum.zero.hex) == (source.name != "files"))

            #expect(try await archive.contents(History.table) == texts(old))
            #expect(try await archive.verify(table: History.table).isValid)
            let archived = try #require(try await archive.versions(table: History.table).last)
            #expect(archived.metadata["archive.source_table"] == History.table)
            #expect(archived.metadata["archive.key"] == "symbol,date")
            #expect(archived.metadata["archive.selection"] == "date < 2024-01-01")

            // Nothing left to archive: a rerun is a success that changes nothing.
            let again = try await Archiver.archive(
                ArchiveRequest(table: History.table, selection: Self.selection),
                from: loader,
                to: archive
            )
            #expect(again.batches.isEmpty)
            #expect(try await loader.versions(table: History.table).count == 2)
            #expect(try await archive.versions(table: History.table).count == 1)
        }
    }

    @Test(
        "a run stopped after any step, then run again, loses no row and archives none twice",
        arguments: SourceTarget.all,
        ArchiveStep.allCases
    )
    func stoppedAndRerun(source: SourceTarget, step: ArchiveStep) async throws {
        try await source.withLoader { loader in
            let rows = History.rows()
            try await loader.loadPrices(rows, .upsert)
            let archive = Scratch.files()
            var request = ArchiveRequest(table: History.table, selection: Self.selection)
            request.afterStep = { done in if done == step { throw Stopped() } }
            await #expect(throws: Stopped.self) { try await Archiver.archive(request, from: loader, to: archive) }

            let old = History.before(rows, Self.cutoff)
            let recent = History.from(rows, Self.cutoff)
            let sourceRows = try await loader.contents(History.table)
            // Deleted only in the last step; until then the source still has every row.
            #expect(sourceRows == texts(step == .deleted ? recent : rows))

            request.afterStep = nil
            let rerun = try await Archiver.archive(request, from: loader, to: archive)
            #expect(rerun.batches.map(\.resumed) == (step == .deleted ? [] : [true]))
            #expect(try await loader.contents(History.table) == texts(recent))
            #expect(try await archive.contents(History.table) == texts(old))
            #expect(try await loader.verify(table: History.table).isValid)
            #expect(try await archive.verify(table: History.table).isValid)
            // Source plus archive hold exactly the original rows.
            var sum = ContentChecksum(hex: try await loader.checksum())!
            sum.add(ContentChecksum(hex: try await archive.checksum())!)
            #expect(sum.hex == History.checksum(rows))
        }
    }

    @Test("rows changed in the source after they were archived stop the delete; nothing is deleted")
    func changedSinceArchived() async throws {
        try await SourceTarget.sqlite.withLoader { loader in
            let rows = History.rows()
            try await loader.loadPrices(rows, .upsert)
            let archive = Scratch.files()
            var request = ArchiveRequest(table: History.table, selection: Self.selection)
            request.afterStep = { step in
                guard step == .verified else { return }
                // One archived row changes before the delete.
                var row = rows[0]
                row[2] = .decimal(ExactDecimal("1.0000")!)
                try await loader.loadPrices([row], .upsert)
            }
            let error = try await #require(throws: SluiceError.self) {
                try await Archiver.archive(request, from: loader, to: archive)
            }
            #expect(
                error.message.contains("1 of the \(History.before(rows, Self.cutoff).count) rows"),
                "\(error.message)"
            )
            #expect(error.message.contains("nothing was deleted"))
            #expect(!error.message.contains("\n"))
            #expect(try await loader.contents(History.table).count == rows.count)
            #expect(try await loader.verify(table: History.table).isValid)
        }
    }

    @Test(
        "rows that arrive in the window after the write stay in the source and go with the next run",
        arguments: SourceTarget.all
    )
    func lateRows(source: SourceTarget) async throws {
        try await source.withLoader { loader in
            let rows = History.rows()
            try await loader.loadPrices(rows, .upsert)
            let archive = Scratch.files()
            let late = [PriceRows.row("LATE", "2023-06-01", "1.0000", 1)]
            var request = ArchiveRequest(table: History.table, selection: Self.selection)
            request.afterStep = { step in
                if step == .verified { try await loader.loadPrices(late, .upsert) }
            }
            let first = try await Archiver.archive(request, from: loader, to: archive)
            #expect(first.rows == History.before(rows, Self.cutoff).count)
            #expect(try await loader.contents(History.table) == texts(History.from(rows, Self.cutoff) + late))
            request.afterStep = nil
            let second = try await Archiver.archive(request, from: loader, to: archive)
            #expect(second.rows == 1)
            #expect(try await archive.contents(History.table) == texts(History.before(rows, Self.cutoff) + late))
            #expect(try await loader.contents(History.table) == texts(History.from(rows, Self.cutoff)))
            #expect(try await loader.verify(table: History.table).isValid)
        }
    }

    @Test(
        "on the file target, a rollback that undoes an archive's delete makes the next run delete those rows again"
    )
    func rollbackUndoesDelete() async throws {
        try await SourceTarget.files.withLoader { loader in
            let history = try #require(loader as? any VersionHistory)
            let rows = History.rows()
            let loaded = try await loader.loadPrices(rows, .upsert)
            let archive = Scratch.files()
            let request = ArchiveRequest(table: History.table, selection: Self.selection)
            _ = try await Archiver.archive(request, from: loader, to: archive)
            _ = try await loader.loadPrices([PriceRows.row("NEW", "2025-01-02", "2.0000")], .upsert)
            // The delete and the load after it are undone: the archived rows are in the source again.
            _ = try await history.rollback(table: History.table, to: loaded.version!.id)
            #expect(try await loader.contents(History.table) == texts(rows))
            let rerun = try await Archiver.archive(request, from: loader, to: archive)
            #expect(rerun.batches.map(\.resumed) == [true])
            #expect(try await loader.contents(History.table) == texts(History.from(rows, Self.cutoff)))
            #expect(try await archive.contents(History.table) == texts(History.before(rows, Self.cutoff)))
            #expect(try await archive.versions(table: History.table).count == 1)
        }
    }

    @Test("on the SQL targets an archive's delete keeps no history: going back across it fails in one line")
    func noRollbackAcrossArchive() async throws {
        try await SourceTarget.sqlite.withLoader { loader in
            let history = try #require(loader as? any VersionHistory)
            let loaded = try await loader.loadPrices(History.rows(), .upsert)
            _ = try await Archiver.archive(
                ArchiveRequest(table: History.table, selection: Self.selection),
                from: loader,
                to: Scratch.files()
            )
            let error = try await #require(throws: SluiceError.self) {
                try await history.rollback(table: History.table, to: loaded.version!.id)
            }
            #expect(error.message.contains("the history reaches back to version"), "\(error.message)")
        }
    }

    @Test("restoring an archive gives back the original rows and checksum", arguments: SourceTarget.all)
    func restore(source: SourceTarget) async throws {
        try await source.withLoader { loader in
            let rows = History.rows()
            let loaded = try await loader.loadPrices(rows, .upsert)
            let archive = Scratch.files()
            _ = try await Archiver.archive(
                ArchiveRequest(table: History.table, selection: Self.selection),
                from: loader,
                to: archive
            )
            let restored = try await Archiver.restore(History.table, from: archive, into: loader)
            #expect(restored.rows == History.before(rows, Self.cutoff).count)
            #expect(restored.inserted == restored.rows)
            #expect(restored.version?.metadata["restore.archive_table"] == History.table)
            #expect(try await loader.contents(History.table) == texts(rows))
            #expect(try await loader.checksum() == loaded.checksum)

            // Restoring again changes nothing.
            let again = try await Archiver.restore(History.table, from: archive, into: loader)
            #expect(again.version == nil)
            #expect(try await loader.checksum() == loaded.checksum)
        }
    }

    @Test("a restore into a table that no longer exists creates it with the archived key")
    func restoreIntoNewTable() async throws {
        try await SourceTarget.sqlite.withLoader { loader in
            let rows = History.rows(days: 400)
            try await loader.loadPrices(rows, .upsert)
            let archive = Scratch.files()
            _ = try await Archiver.archive(
                ArchiveRequest(table: History.table, selection: Self.selection),
                from: loader,
                to: archive
            )
            let restored = try await Archiver.restore(History.table, from: archive, into: loader, table: "prices_2023")
            #expect(restored.table == "prices_2023")
            #expect(try await loader.schema(of: "prices_2023")?.keyColumns == PriceRows.key)
            #expect(try await loader.contents("prices_2023") == texts(History.before(rows, Self.cutoff)))
        }
    }

    @Test("a keyless table is archived and restored by row content")
    func keyless() async throws {
        try await SourceTarget.sqlite.withLoader { loader in
            let rows = History.rows(days: 500)
            let duplicated = rows + rows.prefix(3)
            try await loader.loadPrices(duplicated, .append, key: [])
            let archive = Scratch.files()
            let result = try await Archiver.archive(
                ArchiveRequest(table: History.table, selection: Self.selection),
                from: loader,
                to: archive
            )
            #expect(result.rows == History.before(duplicated, Self.cutoff).count)
            #expect(try await loader.contents(History.table) == texts(History.from(duplicated, Self.cutoff)))
            _ = try await Archiver.restore(History.table, from: archive, into: loader)
            #expect(try await loader.contents(History.table) == texts(duplicated))
        }
    }
}

/// What a test throws to stop an archive run after a step, as a crash would.
struct Stopped: Error {}

/// Stored archive policies, run the way cron runs them.
@Suite("Archive policies")
struct ArchivePolicyTests {
    @Test("stored policies run for every table; a second run has nothing to do", arguments: SourceTarget.all)
    func apply(source: SourceTarget) async throws {
        try await source.withLoader { loader in
            let settings = try #require(loader as? any TableSettings)
            let rows = History.rows()
            try await loader.loadPrices(rows, .upsert)
            let directory = Scratch.directory("policy")
            let policy = ArchivePolicy(before: CivilDate("2024-01-01"), archive: "file:\(directory.path)?format=csv")
            try await settings.setSetting(
                table: History.table,
                name: ArchivePolicy.settingName,
                value: policy.encoded()
            )
            #expect(try await ArchivePolicy.stored(in: settings, table: History.table) == policy)

            let runs = try await Archiver.applyPolicies(in: settings, today: CivilDate("2026-11-27")!)
            #expect(runs.count == 1)
            let run = try #require(runs.first)
            #expect(run.error == nil)
            #expect(run.result?.rows == History.before(rows, "2024-01-01").count)
            #expect(try await loader.contents(History.table) == texts(History.from(rows, "2024-01-01")))

            let again = try await Archiver.applyPolicies(in: settings, today: CivilDate("2026-11-27")!)
            #expect(again.first?.result?.batches.isEmpty == true)
            #expect(again.first?.error == nil)
        }
    }

    @Test("a policy by age archives what is older than its days on the day it runs")
    func olderThan() async throws {
        let policy = ArchivePolicy(olderThanDays: 365, archive: "file:/tmp/unused")
        let selection = try policy.selection(
            today: CivilDate("2025-03-01")!,
            schema: PriceRows.schema,
            table: History.table
        )
        #expect(selection == RowSelection(column: "date", before: CivilDate("2024-03-01")))
        #expect(try policy.encoded() == #"{"archive":"file:\/tmp\/unused","older_than_days":365}"#)
    }

    @Test("a failing table is reported and does not stop the others")
    func failingTable() async throws {
        try await SourceTarget.sqlite.withLoader { loader in
            let settings = try #require(loader as? any TableSettings)
            try await loader.loadPrices(History.rows(), .upsert)
            let good = ArchivePolicy(before: CivilDate("2024-01-01"), archive: "file:" + Scratch.directory("ok").path)
            let bad = ArchivePolicy(before: CivilDate("2024-01-01"), column: "volume", archive: "file:/tmp/x")
            try await settings.setSetting(table: "gone", name: ArchivePolicy.settingName, value: bad.encoded())
            try await settings.setSetting(table: History.table, name: ArchivePolicy.settingName, value: good.encoded())
            let runs = try await Archiver.applyPolicies(in: settings, today: CivilDate("2026-11-27")!)
            #expect(runs.map(\.table) == ["gone", History.table])
            #expect(runs[0].error == "table 'gone' does not exist in \(loader.target)")
            #expect(runs[1].error == nil && runs[1].result?.rows ?? 0 > 0)
        }
    }
}
