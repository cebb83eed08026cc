import Foundation
import SluiceTesting
import Testing

/// `sluice export` from a Redis table, run as a user runs it: it exports exactly one version of the table — never a
/// mix of a running load's keys and the last version's — or fails and publishes nothing; a table that changed
/// without a version (keys deleted by hand) fails the export before the destination records anything.
@Suite("sluice export from Redis: one version or nothing (the built binary)", .timeLimit(.minutes(5)))
struct RedisConsistencyCommandTests {
    private static func load(_ file: String, _ url: String) -> [String] {
        ["load", file, "--into", url, "--table", "prices", "--key", "symbol,date", "--strategy", "replace", "--json"]
    }

    private static func export(_ url: String) -> [String] {
        ["export", "--target", url, "--table", "prices", "--to", "file:out", "--json"]
    }

    /// The source's versions: (id, checksum, rows).
    private static func versions(_ target: String, in directory: URL) throws -> [[String: Any]] {
        let run = try SluiceProcess.run(["versions", "--target", target, "--table", "prices", "--json"], in: directory)
        #expect(run.status == 0, "\(run.error)")
        let data = Data(run.output.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
        return (try JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? []
    }

    /// The files the destination holds, apart from its lock file.
    private static func destinationFiles(in directory: URL) -> [String] {
        let out = directory.appendingPathComponent("out").path
        let files = (try? FileManager.default.subpathsOfDirectory(atPath: out)) ?? []
        return files.filter { path in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: out + "/" + path, isDirectory: &isDirectory)
            return !isDirectory.boolValue && !path.hasSuffix("_sluice/lock")
        }
    }

    /// Checks the export's outcome: success with exactly one source version's rows, checksum and lineage, or
    /// failure with nothing in the destination. Returns which source version it exported (nil when it failed).
    private static func expectOneVersionOrNothing(
        _ export: SluiceProcess.Outcome,
        source: [[String: Any]],
        in directory: URL
    ) throws -> String? {
        let destination = try versions("file:out", in: directory)
        guard export.status == 0 else {
            #expect(destination.isEmpty, "a failed export published \(destination)")
            #expect(destinationFiles(in: directory).isEmpty, "\(destinationFiles(in: directory))")
            return nil
        }
        #expect(destination.count == 1)
        let published = try #require(destination.last)
        let metadata = published["metadata"] as? [String: String] ?? [:]
        let exported = try #require(source.first { $0["id"] as? String == metadata["export.source_version"] })
        #expect(metadata["export.source_checksum"] == exported["checksum"] as? String)
        #expect(published["checksum"] as? String == exported["checksum"] as? String, "\(published)")
        #expect(published["record_count"] as? Int == exported["record_count"] as? Int)
        let verify = try SluiceProcess.run(["verify", "--target", "file:out", "--table", "prices"], in: directory)
        #expect(verify.status == 0, "\(verify.error)")
        return exported["id"] as? String
    }

    @Test("an export started while a replace runs waits for it and exports one whole version (20,000 rows)")
    func exportDuringAReplace() async throws {
        try await withRedisServer { server in
            let url = server.url()
            try withWorkingDirectory { directory in
                try PlantedLock.sample("old.csv", rows: 20_000, seed: 1, in: directory)
                try PlantedLock.sample("new.csv", rows: 20_000, seed: 2, in: directory)
                let first = try SluiceProcess.run(Self.load("old.csv", url), in: directory)
                #expect(first.status == 0, "\(first.error)")
                let replace = try SluiceProcess.start(Self.load("new.csv", url), in: directory)
                // The replace holds the table's lock from its start; give it time to take it.
                usleep(400_000)
                let export = try SluiceProcess.start(Self.export(url), in: directory)
                let (loaded, loadHung) = replace.end(within: .seconds(120))
                #expect(!loadHung && loaded.status == 0, "\(loaded.error)")
                let (exported, exportHung) = export.end(within: .seconds(120))
                #expect(!exportHung)
                let source = try Self.versions(url, in: directory)
                #expect(source.count == 2)
                let version = try Self.expectOneVersionOrNothing(exported, source: source, in: directory)
                if exported.error.contains("waiting for the table's lock") {
                    // It waited for the replace: it can only have read the new version.
                    #expect(version == source.last?["id"] as? String, "\(exported.error)")
                }
            }
        }
    }

    @Test("an export queued behind a held lock, with a replace queued too, exports one whole version or nothing")
    func exportAndReplaceQueued() async throws {
        try await withRedisServer { server in
            let url = server.url()
            try withWorkingDirectory { directory in
                try PlantedLock.sample("old.csv", rows: 2_000, seed: 1, in: directory)
                try PlantedLock.sample("new.csv", rows: 2_000, seed: 2, in: directory)
                let first = try SluiceProcess.run(Self.load("old.csv", url), in: directory)
                #expect(first.status == 0, "\(first.error)")
                let pid = ProcessInfo.processInfo.processIdentifier
                try PlantedLock.plant("prices", id: "planted-self", pid: pid, in: server)
                let export = try SluiceProcess.start(Self.export(url), in: directory)
                #expect(export.waitForError(containing: "waiting for the table's lock", timeout: .seconds(20)))
                let replace = try SluiceProcess.start(Self.load("new.csv", url), in: directory)
                #expect(replace.waitForError(containing: "waiting for the table's lock", timeout: .seconds(20)))
                try server.cli("DEL", PlantedLock.key("prices"))
                let (loaded, loadHung) = replace.end(within: .seconds(60))
                #expect(!loadHung && loaded.status == 0, "\(loaded.error)")
                let (exported, exportHung) = export.end(within: .seconds(60))
                #expect(!exportHung)
                let source = try Self.versions(url, in: directory)
                #expect(source.count == 2)
                _ = try Self.expectOneVersionOrNothing(exported, source: source, in: directory)
            }
        }
    }

    @Test("three keys deleted by hand: the export fails naming both checksums, and the destination gets nothing")
    func keysDeletedByHand() async throws {
        try await withRedisServer { server in
            let url = server.url()
            try withWorkingDirectory { directory in
                try PlantedLock.sample("prices.csv", rows: 10, in: directory)
                let first = try SluiceProcess.run(Self.load("prices.csv", url), in: directory)
                #expect(first.status == 0, "\(first.error)")
                let keys = try server.cli("--scan", "--pattern", "sluice:prices:*").split(separator: "\n")
                #expect(keys.count == 10)
                for key in keys.prefix(3) { try server.cli("DEL", String(key)) }
                let verify = try SluiceProcess.run(
                    ["verify", "--target", url, "--table", "prices", "--json"],
                    in: directory
                )
                let found = try jsonObject(verify.output)
                let actual = try #require(found["actual_checksum"] as? String)
                let recorded = try #require(found["expected_checksum"] as? String)
                let version = try #require(found["version_id"] as? String)
                #expect(found["actual_record_count"] as? Int == 7)

                let export = try SluiceProcess.run(Self.export(url), in: directory)
                #expect(export.status == 1)
                let errors = export.error.split(separator: "\n").filter { $0.hasPrefix("error:") }
                #expect(errors.count == 1, "\(export.error)")
                #expect(
                    export.error.contains(
                        "the rows read sum to \(actual), but version \(version) recorded \(recorded): the table "
                            + "changed without a version"
                    ),
                    "\(export.error)"
                )
                #expect(export.error.contains("3 of its 10 keys are missing"), "\(export.error)")
                #expect(try Self.versions("file:out", in: directory).isEmpty)
                #expect(Self.destinationFiles(in: directory).isEmpty, "\(Self.destinationFiles(in: directory))")
            }
            // The read gave its lock back.
            #expect(try server.cli("EXISTS", PlantedLock.key("prices")) == "0")
        }
    }
}
