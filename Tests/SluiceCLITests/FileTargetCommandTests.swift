import Foundation
import SluiceTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("sluice with a file target (the built binary)")
struct FileTargetCommandTests {
    @Test("load, verify, stats and retain on file:DIR with --format and --compression")
    func loadVerifyStatsRetain() throws {
        try withWorkingDirectory { directory in
            let sample = try SluiceProcess.run(
                ["sample", "ohlcv", "--rows", "3000", "--symbols", "10", "--output", "prices.csv"],
                in: directory
            )
            #expect(sample.status == 0, "\(sample.error)")
            for round in 0..<2 {
                let load = try SluiceProcess.run(
                    [
                        "load", "prices.csv", "--into", "file:lake", "--table", "prices", "--key", "symbol,date",
                        "--strategy", "replace", "--format", "jsonl", "--compression", "gzip", "--partition-by",
                        "date:year", "--json", "--force",
                    ],
                    in: directory
                )
                #expect(load.status == 0, "\(load.error)")
                let metrics = try jsonObject(load.output)
                #expect(metrics["records_inserted"] as? Int == (round == 0 ? 3000 : 0))
            }
            let files = try FileManager.default.subpathsOfDirectory(
                atPath: directory.appendingPathComponent("lake/prices").path
            )
            let part = try #require(files.first { $0.hasPrefix("year=") && $0.hasSuffix(".jsonl.gz") })
            let inspect = try SluiceProcess.run(["inspect", "lake/prices/" + part, "--no-count"], in: directory)
            #expect(inspect.status == 0, "\(inspect.error)")
            #expect(inspect.output.contains("format       jsonl\ncompression  gzip"))
            #expect(inspect.output.contains("close      decimal(18,4)"))
            let verify = try SluiceProcess.run(["verify", "--target", "file:lake", "--table", "prices"], in: directory)
            #expect(verify.status == 0 && verify.output.hasPrefix("ok: table 'prices' matches version"))
            let stats = try SluiceProcess.run(["stats", "--target", "file:lake", "--table", "prices"], in: directory)
            #expect(stats.output.contains("prices files jsonl+gzip"))
            #expect(stats.output.contains("prices partitioned_by  date:year"))
            let parquet = try SluiceProcess.run(
                ["load", "prices.csv", "--into", "file:lake", "--table", "quotes", "--key", "symbol,date"],
                in: directory
            )
            #expect(parquet.status == 0, "\(parquet.error)")
            let parquetFiles = try FileManager.default.subpathsOfDirectory(
                atPath: directory.appendingPathComponent("lake/quotes").path
            )
            let parquetPart = try #require(parquetFiles.first { $0.hasSuffix(".parquet") })
            let inspected = try SluiceProcess.run(["inspect", "lake/quotes/" + parquetPart], in: directory)
            #expect(inspected.output.contains("format       parquet\ncompression  none (pages: zstd)"))
            #expect(inspected.output.contains("rows         3,000"))
            let retain = try SluiceProcess.run(
                ["retain", "--target", "file:lake", "--table", "prices", "--keep-versions", "1"],
                in: directory
            )
            #expect(retain.status == 0, "\(retain.error)")
            #expect(retain.output == "table 'prices': removed 0 versions and 0 files (0 B); 1 kept\n")
        }
    }

    @Test("--format for a database target fails and names --input-format")
    func formatNeedsAFileTarget() throws {
        try withWorkingDirectory { directory in
            try "a,b\n1,2\n".write(to: directory.appendingPathComponent("x.csv"), atomically: true, encoding: .utf8)
            let load = try SluiceProcess.run(["load", "x.csv", "--table", "x", "--format", "csv"], in: directory)
            #expect(load.status != 0)
            #expect(load.error.contains("use --input-format and --input-compression"))
        }
    }

    @Test("a loader killed while writing leaves the previous version intact; the rerun lands exactly once")
    func killedWhileWriting() throws {
        try withWorkingDirectory { directory in
            let sample = try SluiceProcess.run(
                ["sample", "ohlcv", "--rows", "60000", "--symbols", "50", "--output", "prices.csv"],
                in: directory
            )
            #expect(sample.status == 0, "\(sample.error)")
            let arguments = [
                "load", "prices.csv", "--into", "file:lake?format=csv&compression=bzip2", "--table", "prices",
                "--key", "symbol,date", "--partition-by", "date:month",
            ]
            let first = try SluiceProcess.run(arguments + ["--strategy", "upsert"], in: directory)
            #expect(first.status == 0, "\(first.error)")
            let before = try SluiceProcess.run(
                ["verify", "--target", "file:lake", "--table", "prices", "--json"],
                in: directory
            )
            let expected = try jsonObject(before.output)["actual_checksum"] as? String

            // Replace every row (force makes it write everything), and kill the loader while it writes.
            let process = Process()
            process.executableURL = try SluiceProcess.binary
            process.arguments = arguments + ["--strategy", "append", "--force"]
            process.currentDirectoryURL = directory
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let lake = directory.appendingPathComponent("lake/prices")
            let deadline = Date().addingTimeInterval(20)
            var sawTemporary = false
            while Date() < deadline && process.isRunning {
                let entries = FileManager.default.subpaths(atPath: lake.path) ?? []
                if entries.contains(where: { $0.contains(".tmp-") }) {
                    sawTemporary = true
                    break
                }
                usleep(2_000)
            }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(sawTemporary, "the loader finished before it could be killed")

            let after = try SluiceProcess.run(
                ["verify", "--target", "file:lake", "--table", "prices", "--json"],
                in: directory
            )
            #expect(after.status == 0, "\(after.error)")
            #expect(try jsonObject(after.output)["actual_checksum"] as? String == expected)
            let versions = try SluiceProcess.run(
                ["versions", "--target", "file:lake", "--table", "prices", "--json"],
                in: directory
            )
            #expect((try JSONSerialization.jsonObject(with: Data(versions.output.utf8)) as? [Any])?.count == 1)

            let rerun = try SluiceProcess.run(arguments + ["--strategy", "upsert", "--json"], in: directory)
            #expect(rerun.status == 0, "\(rerun.error)")
            #expect(try jsonObject(rerun.output)["records_skipped"] as? Int == 60_000)
            let leftovers = (FileManager.default.subpaths(atPath: lake.path) ?? []).filter { $0.contains(".tmp-") }
            #expect(leftovers.isEmpty)
            let stats = try SluiceProcess.run(["stats", "--target", "file:lake", "--table", "prices"], in: directory)
            #expect(stats.output.contains("prices leftover_files  0"))
        }
    }
}
