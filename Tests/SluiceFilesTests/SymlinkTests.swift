import Foundation
import Sluice
import SluiceFiles
import SluiceTesting
import Testing

/// A target directory `BASE/lake` and a folder outside it, `BASE/elsewhere`, where the links in these tests point.
private struct LinkedLake {
    let base: URL
    var lake: URL { base.appendingPathComponent("lake") }
    var elsewhere: URL { base.appendingPathComponent("elsewhere") }

    static func with(_ body: (LinkedLake) async throws -> Void) async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-links-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: base.appendingPathComponent("elsewhere"),
            withIntermediateDirectories: true
        )
        try FileManager.default.createDirectory(
            at: base.appendingPathComponent("lake"),
            withIntermediateDirectories: true
        )
        defer { try? FileManager.default.removeItem(at: base) }
        try await body(LinkedLake(base: base))
    }

    /// A loader of `directory` (the lake unless given), following links or not.
    func loader(following: Bool = false, directory: URL? = nil) -> FileLoader {
        var output = Lake.csv
        output.followsSymbolicLinks = following
        return FileLoader(directory: (directory ?? lake).path, output: output)
    }

    /// Makes `path` a symbolic link to `destination`.
    func link(_ path: URL, to destination: URL) throws {
        try FileManager.default.createSymbolicLink(atPath: path.path, withDestinationPath: destination.path)
    }

    /// Moves the table's folder (or one of its partition folders) to `elsewhere/NAME` and puts a link in its place.
    @discardableResult
    func moveAndLink(_ relative: String, as name: String) throws -> URL {
        let original = lake.appendingPathComponent(relative)
        let moved = elsewhere.appendingPathComponent(name)
        try FileManager.default.moveItem(at: original, to: moved)
        try link(original, to: moved)
        return moved
    }

    /// Every file under `folder` (relative paths, sorted), with its size: what a refused operation must not change.
    func snapshot(_ folder: URL) -> [String: Int64] {
        let paths = (try? FileManager.default.subpathsOfDirectory(atPath: folder.path)) ?? []
        var result: [String: Int64] = [:]
        for path in paths {
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder.path + "/" + path)
            guard attributes?[.type] as? FileAttributeType == .typeRegular else { continue }
            result[path] = (attributes?[.size] as? NSNumber)?.int64Value
        }
        return result
    }
}

/// Loads `rows` into the quotes table.
@discardableResult
private func load(
    _ loader: FileLoader,
    _ rows: [[Value]],
    _ strategy: LoadingStrategy = .upsert,
    partitioned: Bool = false
) async throws -> LoadResult {
    var request = LoadRequest(table: Quotes.table, strategy: strategy, keyColumns: Quotes.key)
    if partitioned { request.partitioning = Partitioning(column: "date", granularity: .month) }
    return try await loader.load(
        try RecordStream(schema: Quotes.schema, source: "quotes.csv", rows: rows),
        request: request
    )
}

/// The error `body` throws, which must be the one-line symbolic-link refusal naming `path` and `destination`.
private func expectRefusal(
    naming path: URL,
    to destination: URL,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("expected the symbolic link \(path.path) to be refused", sourceLocation: sourceLocation)
    } catch let error as SluiceError {
        #expect(error.code == .invalidRequest, sourceLocation: sourceLocation)
        #expect(
            error.message.contains("\(path.path) is a symbolic link (to \(destination.path))"),
            "\(error.message)",
            sourceLocation: sourceLocation
        )
        #expect(error.message.contains("add follow_symlinks=true"), sourceLocation: sourceLocation)
        #expect(!error.message.contains("\n"), sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error: \(error)", sourceLocation: sourceLocation)
    }
}

@Suite("File target: symbolic links are refused, or followed on request")
struct SymlinkTests {
    @Test("a linked table folder: the load is refused in one line and nothing is written where the link points")
    func linkedTableFolderRefused() async throws {
        try await LinkedLake.with { scene in
            let table = scene.lake.appendingPathComponent(Quotes.table)
            try scene.link(table, to: scene.elsewhere)
            await expectRefusal(naming: table, to: scene.elsewhere) {
                try await load(scene.loader(), Quotes.rows(months: 1...2))
            }
            #expect(scene.snapshot(scene.elsewhere).isEmpty)
            let entries = try FileManager.default.contentsOfDirectory(atPath: scene.elsewhere.path)
            #expect(entries.isEmpty, "\(entries)")
        }
    }

    @Test("follow_symlinks: the load goes through the link, and verify passes")
    func linkedTableFolderFollowed() async throws {
        try await LinkedLake.with { scene in
            try scene.link(scene.lake.appendingPathComponent(Quotes.table), to: scene.elsewhere)
            let loader = scene.loader(following: true)
            let result = try await load(loader, Quotes.rows(months: 1...2), partitioned: true)
            #expect(result.metrics.recordsInserted == Quotes.rows(months: 1...2).count)
            #expect(try await loader.verify(table: Quotes.table).isValid)
            #expect(scene.snapshot(scene.elsewhere).keys.contains { $0.hasPrefix("year=2024/month=02/part-") })
            #expect(try await loader.contents(Quotes.table) == texts(Quotes.rows(months: 1...2)))
        }
    }

    @Test("reading a linked table (verify, read, versions) is refused the same way unless links are followed")
    func readingLinkedTable() async throws {
        try await LinkedLake.with { scene in
            try await load(scene.loader(), Quotes.rows(months: 1...1))
            let moved = try scene.moveAndLink(Quotes.table, as: "moved")
            let table = scene.lake.appendingPathComponent(Quotes.table)
            let loader = scene.loader()
            await expectRefusal(naming: table, to: moved) { _ = try await loader.verify(table: Quotes.table) }
            await expectRefusal(naming: table, to: moved) { _ = try await loader.read(table: Quotes.table) }
            await expectRefusal(naming: table, to: moved) { _ = try await loader.versions(table: Quotes.table) }
            await expectRefusal(naming: table, to: moved) { _ = try await loader.statistics(table: nil) }
            let following = scene.loader(following: true)
            #expect(try await following.verify(table: Quotes.table).isValid)
            #expect(try await following.versions(table: Quotes.table).count == 1)
        }
    }

    @Test("a linked target directory is refused; a dangling one too, and nothing is created where it points")
    func linkedTargetDirectory() async throws {
        try await LinkedLake.with { scene in
            let linked = scene.base.appendingPathComponent("linked-lake")
            try scene.link(linked, to: scene.elsewhere)
            await expectRefusal(naming: linked, to: scene.elsewhere) {
                try await load(scene.loader(directory: linked), Quotes.rows(months: 1...1))
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: scene.elsewhere.path).isEmpty)

            let dangling = scene.base.appendingPathComponent("dangling-lake")
            let nowhere = scene.base.appendingPathComponent("nowhere")
            try scene.link(dangling, to: nowhere)
            await expectRefusal(naming: dangling, to: nowhere) {
                try await load(scene.loader(directory: dangling), Quotes.rows(months: 1...1))
            }
            #expect(!FileManager.default.fileExists(atPath: nowhere.path))

            let followed = try await load(scene.loader(following: true, directory: linked), Quotes.rows(months: 1...1))
            #expect(followed.version != nil)
            #expect(FileManager.default.fileExists(atPath: scene.elsewhere.appendingPathComponent(Quotes.table).path))
        }
    }

    @Test("a linked partition folder the table lists: a load is refused before it writes or deletes anything")
    func linkedExistingPartition() async throws {
        try await LinkedLake.with { scene in
            try await load(scene.loader(), Quotes.rows(months: 1...2), partitioned: true)
            let partition = Quotes.table + "/year=2024/month=02"
            let moved = try scene.moveAndLink(partition, as: "february")
            let before = scene.snapshot(moved)
            let lakeBefore = scene.snapshot(scene.lake)
            await expectRefusal(naming: scene.lake.appendingPathComponent(partition), to: moved) {
                try await load(scene.loader(), [Quotes.row("S0", "2024-02-02", "99.0000")], partitioned: true)
            }
            #expect(scene.snapshot(moved) == before)
            #expect(scene.snapshot(scene.lake) == lakeBefore)
            let following = scene.loader(following: true)
            try await load(following, [Quotes.row("S0", "2024-02-02", "99.0000")], partitioned: true)
            #expect(try await following.verify(table: Quotes.table).isValid)
            #expect(scene.snapshot(moved).count == before.count + 1)
        }
    }

    @Test("a linked partition folder no version lists yet: the load that would write into it is refused")
    func linkedNewPartition() async throws {
        try await LinkedLake.with { scene in
            try await load(scene.loader(), Quotes.rows(months: 1...1), partitioned: true)
            let partition = scene.lake.appendingPathComponent(Quotes.table + "/year=2024/month=03")
            try scene.link(partition, to: scene.elsewhere)
            let versions = try await scene.loader().versions(table: Quotes.table)
            await expectRefusal(naming: partition, to: scene.elsewhere) {
                try await load(scene.loader(), Quotes.rows(months: 3...3), partitioned: true)
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: scene.elsewhere.path).isEmpty)
            #expect(try await scene.loader().versions(table: Quotes.table) == versions)
            #expect(try await scene.loader().verify(table: Quotes.table).isValid)
        }
    }

    @Test("retain and rollback on a linked table are refused; nothing is deleted or published")
    func retainAndRollbackRefused() async throws {
        try await LinkedLake.with { scene in
            for month in 1...3 { try await load(scene.loader(), Quotes.rows(months: month...month), .replace) }
            let versions = try await scene.loader().versions(table: Quotes.table)
            let moved = try scene.moveAndLink(Quotes.table, as: "moved")
            let before = scene.snapshot(moved)
            let table = scene.lake.appendingPathComponent(Quotes.table)
            let loader = scene.loader()
            await expectRefusal(naming: table, to: moved) {
                _ = try await loader.retain(table: Quotes.table, policy: RetentionPolicy(keepVersions: 1))
            }
            await expectRefusal(naming: table, to: moved) {
                _ = try await loader.rollback(table: Quotes.table, to: versions[0].id)
            }
            await expectRefusal(naming: table, to: moved) { _ = try await loader.optimize(table: Quotes.table) }
            #expect(scene.snapshot(moved) == before)

            let following = scene.loader(following: true)
            let report = try await following.retain(table: Quotes.table, policy: RetentionPolicy(keepVersions: 2))
            #expect(report.removedVersions == [versions[0].id])
            _ = try await following.rollback(table: Quotes.table, to: versions[1].id)
            #expect(try await following.verify(table: Quotes.table).isValid)
        }
    }

    @Test("retain refuses a linked partition folder whose files it would delete, and a linked archive folder")
    func retainPartitionAndArchive() async throws {
        try await LinkedLake.with { scene in
            try await load(scene.loader(), Quotes.rows(months: 1...2), partitioned: true)
            try await load(scene.loader(), [Quotes.row("S0", "2024-02-02", "99.0000")], partitioned: true)
            let partition = Quotes.table + "/year=2024/month=02"
            let moved = try scene.moveAndLink(partition, as: "february")
            let before = scene.snapshot(moved)
            let versions = try await scene.loader().versions(table: Quotes.table)
            await expectRefusal(naming: scene.lake.appendingPathComponent(partition), to: moved) {
                _ = try await scene.loader().retain(table: Quotes.table, policy: RetentionPolicy(keepVersions: 1))
            }
            #expect(scene.snapshot(moved) == before)
            #expect(try await scene.loader(following: true).versions(table: Quotes.table) == versions)

            // The partition back in place; now the archive folder is a link.
            try FileManager.default.removeItem(at: scene.lake.appendingPathComponent(partition))
            try FileManager.default.moveItem(at: moved, to: scene.lake.appendingPathComponent(partition))
            let archive = scene.base.appendingPathComponent("archive")
            let archiveTarget = scene.elsewhere.appendingPathComponent("archive")
            try FileManager.default.createDirectory(at: archiveTarget, withIntermediateDirectories: true)
            try scene.link(archive, to: archiveTarget)
            let policy = RetentionPolicy(keepVersions: 1, archiveDirectory: archive.path)
            await expectRefusal(naming: archive, to: archiveTarget) {
                _ = try await scene.loader().retain(table: Quotes.table, policy: policy)
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: archiveTarget.path).isEmpty)
            #expect(try await scene.loader().versions(table: Quotes.table) == versions)
            let report = try await scene.loader(following: true).retain(table: Quotes.table, policy: policy)
            #expect(report.removedVersions == [versions[0].id] && report.archivedFiles == 2)
        }
    }

    @Test("a data file that is a link is replaced, not written through; deleting one removes the link only")
    func linkedDataFileIsNotWrittenThrough() async throws {
        try await LinkedLake.with { scene in
            try await load(scene.loader(), Quotes.rows(months: 1...1))
            let outside = scene.elsewhere.appendingPathComponent("precious.csv")
            try Data("keep me\n".utf8).write(to: outside)
            let leftover = scene.lake.appendingPathComponent(Quotes.table + "/part-leftover-0.csv")
            try scene.link(leftover, to: outside)
            // The next load removes leftovers: the link goes, the file it points to stays.
            try await load(scene.loader(), Quotes.rows(months: 2...2))
            #expect(!SymlinkTestFiles.isLink(leftover.path))
            #expect(try String(contentsOf: outside, encoding: .utf8) == "keep me\n")
        }
    }

    @Test("follow_symlinks in the URL: true, false, a bad value; unknown options are still refused")
    func urlOption() async throws {
        func open(_ url: String) async throws -> FileOutputOptions {
            try await withLoader(url, factories: [FileLoader.factory]) { loader in
                try #require(loader as? FileLoader).output
            }
        }
        #expect(try await open("file:lake").followsSymbolicLinks == false)
        #expect(try await open("file:lake?follow_symlinks=true").followsSymbolicLinks)
        #expect(try await open("file:lake?format=csv&follow_symlinks=TRUE").followsSymbolicLinks)
        #expect(try await open("file:lake?follow_symlinks=false").followsSymbolicLinks == false)
        do {
            _ = try await open("file:lake?follow_symlinks=yes")
            Issue.record("follow_symlinks=yes was accepted")
        } catch let error as SluiceError {
            #expect(error.message.contains("option follow_symlinks=yes: expected true or false"))
        }
        do {
            _ = try await open("file:lake?follow_links=true")
            Issue.record("an unknown option was accepted")
        } catch let error as SluiceError {
            #expect(error.message.contains("unknown option 'follow_links'"))
            #expect(error.message.contains("follow_symlinks"))
        }
    }
}

private enum SymlinkTestFiles {
    static func isLink(_ path: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) == .typeSymbolicLink
    }
}
