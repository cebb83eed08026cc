import Foundation
import SluiceTesting
import Testing

/// `sluice export`, `sluice archive` and `sluice restore` run as a user runs them, on SQLite and files; the archive
/// killed (SIGKILL) after each of its steps and run again.
@Suite("Export, archive and restore commands")
struct ArchiveCommandTests {
    /// Loads 30,000 sample rows (2 years of 40 symbols... as the sampler makes them) into sluice.sqlite.
    static func seed(_ directory: URL, into target: String = "sqlite:sluice.sqlite") throws {
        let sample = try SluiceProcess.run(
            ["sample", "ohlcv", "--rows", "30000", "--symbols", "40", "--output", "prices.csv"],
            in: directory
        )
        #expect(sample.status == 0, "\(sample.error)")
        let load = try SluiceProcess.run(
            [
                "load", "prices.csv", "--into", target, "--table", "prices", "--key", "symbol,date", "--strategy",
                "upsert",
            ],
            in: directory
        )
        #expect(load.status == 0, "\(load.error)")
    }

    static func json(_ arguments: [String], in directory: URL) throws -> [String: Any] {
        let run = try SluiceProcess.run(arguments + ["--json"], in: directory)
        #expect(run.status == 0, "\(arguments): \(run.error)")
        return try jsonObject(run.output)
    }

    static func checksum(_ target: String, _ table: String = "prices", in directory: URL) throws -> String {
        let verify = try json(["verify", "--target", target, "--table", table], in: directory)
        #expect(verify["valid"] as? Bool == true, "\(verify)")
        return verify["actual_checksum"] as? String ?? ""
    }

    static func rows(_ target: String, _ table: String = "prices", in directory: URL) throws -> Int {
        try json(["verify", "--target", target, "--table", table], in: directory)["actual_record_count"] as? Int ?? -1
    }

    @Test("export to Parquet then --since-last: up to date, and equal to the source")
    func export() throws {
        try withWorkingDirectory { directory in
            try Self.seed(directory)
            let arguments = ["export", "--table", "prices", "--to", "file:out", "--format", "parquet", "--since-last"]
            let first = try Self.json(arguments, in: directory)
            #expect(first["mode"] as? String == "full")
            #expect(
                try Self.checksum("file:out", in: directory) == Self.checksum("sqlite:sluice.sqlite", in: directory)
            )
            let again = try SluiceProcess.run(arguments, in: directory)
            #expect(again.status == 0, "\(again.error)")
            #expect(again.output.hasPrefix("up to date: file:"), "\(again.output)")

            let window = try Self.json(
                [
                    "export", "--table", "prices", "--to", "file:out", "--as", "h1", "--format", "csv", "--compression",
                    "zstd", "--where-date-from", "2024-01-01", "--where-date-to", "2024-06-30",
                ],
                in: directory
            )
            #expect(window["selection"] as? String == "date >= 2024-01-01 and date < 2024-07-01")
            let files = try FileManager.default.subpathsOfDirectory(
                atPath: directory.appendingPathComponent("out/h1").path
            )
            let zst = files.filter { $0.hasSuffix(".csv.zst") }
            #expect(!zst.isEmpty)
            for file in zst {
                let test = try SluiceProcess.runTool("/usr/bin/zstd", ["-t", "out/h1/" + file], in: directory)
                #expect(test.status == 0, "\(test.error)")
            }
        }
    }

    @Test(
        "archive killed after each step, then run again: no row lost, none duplicated; restore brings them back",
        arguments: ["sqlite", "postgres"]
    )
    func killedArchive(source: String) throws {
        for step in ["written", "verified", "deleted"] {
            try withWorkingDirectory { directory in
                let target: String
                if source == "postgres" {
                    let server = try PostgresServer.shared
                    target = server.url(database: try server.createDatabase(prefix: "archive_cli"))
                } else {
                    target = "sqlite:sluice.sqlite"
                }
                try Self.seed(directory, into: target)
                let original = try Self.checksum(target, in: directory)
                let total = try Self.rows(target, in: directory)
                let arguments = [
                    "archive", "--target", target, "--table", "prices", "--before", "2024-01-01", "--to",
                    "file:archive", "--compression", "zstd",
                ]
                let killed = try SluiceProcess.run(
                    arguments,
                    in: directory,
                    environment: ["SLUICE_FAULT_KILL_AFTER_ARCHIVE_STEP": step]
                )
                #expect(killed.status != 0, "step \(step): the archive was not killed")
                let rerun = try SluiceProcess.run(arguments, in: directory)
                #expect(rerun.status == 0, "step \(step): \(rerun.error)")
                #expect(
                    rerun.output.contains(step == "deleted" ? "nothing to archive" : "finishing an interrupted run"),
                    "step \(step): \(rerun.output)"
                )
                let kept = try Self.rows(target, in: directory)
                let archived = try Self.rows("file:archive", in: directory)
                #expect(kept + archived == total, "step \(step)")
                #expect(archived > 0 && kept > 0)

                let restore = try SluiceProcess.run(
                    ["restore", "--archive", "file:archive", "--table", "prices", "--into", target],
                    in: directory
                )
                #expect(restore.status == 0, "\(restore.error)")
                #expect(restore.output.contains("verified"))
                #expect(try Self.checksum(target, in: directory) == original, "step \(step)")
            }
        }
    }

    @Test("a stored policy is listed, applied (twice: the second has nothing to do) and removed")
    func policies() throws {
        try withWorkingDirectory { directory in
            try Self.seed(directory)
            let total = try Self.rows("sqlite:sluice.sqlite", in: directory)
            let set = try SluiceProcess.run(
                ["archive", "--table", "prices", "--set-policy", "--before", "2024-01-01", "--to", "file:archive"],
                in: directory
            )
            #expect(set.status == 0, "\(set.error)")
            #expect(set.output.contains("rows before 2024-01-01 to file:archive"), "\(set.output)")
            let list = try Self.json(["archive", "--list-policies"], in: directory)
            #expect((list["prices"] as? [String: Any])?["before"] as? String == "2024-01-01")
            let apply = try SluiceProcess.run(["archive", "--apply-policies"], in: directory)
            #expect(apply.status == 0, "\(apply.error)")
            #expect(apply.output.hasPrefix("prices: archived "), "\(apply.output)")
            let archived = try Self.rows("file:archive", in: directory)
            #expect(archived > 0)
            #expect(try Self.rows("sqlite:sluice.sqlite", in: directory) + archived == total)
            let again = try SluiceProcess.run(["archive", "--apply-policies"], in: directory)
            #expect(again.status == 0 && again.output.contains("nothing to archive"), "\(again.output)")
            let remove = try SluiceProcess.run(["archive", "--table", "prices", "--remove-policy"], in: directory)
            #expect(remove.status == 0, "\(remove.error)")
            let none = try SluiceProcess.run(["archive", "--list-policies"], in: directory)
            #expect(none.output.hasPrefix("no archive policies"), "\(none.output)")
        }
    }

    @Test("bad options and a missing table fail in one line")
    func errors() throws {
        try withWorkingDirectory { directory in
            try Self.seed(directory)
            let cases: [([String], String)] = [
                (["archive", "--table", "prices", "--to", "file:a"], "give --older-than DURATION or --before DATE"),
                (["archive", "--table", "prices", "--older-than", "soon", "--to", "file:a"], "is not a duration"),
                (
                    ["archive", "--table", "nope", "--before", "2024-01-01", "--to", "file:a"],
                    "table 'nope' does not exist"
                ),
                (
                    ["archive", "--table", "prices", "--before", "2024-01-01", "--to", "sqlite:other.sqlite"],
                    "an archive is a file target"
                ),
                (
                    ["export", "--table", "prices", "--to", "sqlite:x.sqlite", "--format", "csv"],
                    "apply to a file target"
                ),
                (["export", "--table", "prices", "--to", "file:o", "--where-date-from", "2024-13-01"], "is not a day"),
                (["restore", "--archive", "file:none", "--table", "prices"], "table 'prices' does not exist in file:"),
            ]
            for (arguments, message) in cases {
                let run = try SluiceProcess.run(arguments, in: directory)
                #expect(run.status != 0, "\(arguments)")
                // The error is the first line; usage errors add argument-parser's usage hint after it.
                let first = run.error.split(separator: "\n").first.map(String.init) ?? ""
                #expect(first.contains(message), "\(arguments): \(run.error)")
            }
            #expect(try Self.rows("sqlite:sluice.sqlite", in: directory) == 30000)
        }
    }
}
