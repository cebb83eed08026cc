import Foundation
import SluiceTesting
import Testing

@Suite("sluice load, versions and verify (the built binary)")
struct LoadCommandTests {
    @Test func sampleLoadRerunAndVerifyOnTheEmbeddedDefault() throws {
        try withWorkingDirectory { directory in
            let sample = try SluiceProcess.run(
                ["sample", "ohlcv", "--rows", "2000", "--symbols", "20", "--output", "prices.csv.gz"],
                in: directory
            )
            #expect(sample.status == 0, "\(sample.error)")

            let first = try SluiceProcess.run(
                [
                    "load", "prices.csv.gz", "--table", "prices", "--key", "symbol,date", "--strategy", "upsert",
                    "--json",
                ],
                in: directory
            )
            #expect(first.status == 0, "\(first.error)")
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("sluice.sqlite").path))
            let metrics = try jsonObject(first.output)
            #expect(metrics["records_processed"] as? Int == 2000)
            #expect(metrics["strategy"] as? String == "upsert")
            #expect(metrics["records_inserted"] as? Int == 2000)
            #expect(metrics["records_updated"] as? Int == 0)
            #expect(metrics["records_skipped"] as? Int == 0)
            #expect(metrics["records_failed"] as? Int == 0)
            #expect(metrics["validation_errors"] as? Int == 0)
            #expect(metrics["data_quality_score"] as? Double == 1)
            #expect(metrics["success_rate"] as? Double == 1)
            #expect((metrics["throughput"] as? Double ?? 0) > 0)
            #expect((metrics["duration_seconds"] as? Double ?? -1) >= 0)
            let version = try #require(metrics["version_id"] as? String)
            let checksum = try #require(metrics["checksum"] as? String)
            #expect(checksum.count == 64)

            let rerun = try jsonObject(
                try SluiceProcess.run(
                    ["load", "prices.csv.gz", "--table", "prices", "--key", "symbol,date", "--json"],
                    in: directory
                ).output
            )
            #expect(rerun["records_skipped"] as? Int == 2000)
            #expect(rerun["records_inserted"] as? Int == 0)
            #expect(rerun["changed"] as? Bool == false)
            // The strategy the rerun ran with (the default for a keyed table), though it recorded no version.
            #expect(rerun["strategy"] as? String == "upsert")
            #expect(rerun["version_id"] as? String == version)
            #expect(rerun["checksum"] as? String == checksum)

            let verify = try SluiceProcess.run(["verify", "--table", "prices"], in: directory)
            #expect(verify.status == 0, "\(verify.error)")
            #expect(verify.output.contains("matches version \(version)"))

            let versions = try SluiceProcess.run(["versions", "--table", "prices", "--json"], in: directory)
            let list = try JSONSerialization.jsonObject(with: Data(versions.output.utf8)) as? [[String: Any]]
            #expect(list?.count == 1)
            #expect(list?.first?["id"] as? String == version)
        }
    }

    @Test func tamperingMakesVerifyFail() throws {
        try withWorkingDirectory { directory in
            try SluiceProcess.run(["sample", "ohlcv", "--rows", "100", "--output", "p.csv"], in: directory)
            let load = try SluiceProcess.run(
                ["load", "p.csv", "--table", "prices", "--key", "symbol,date"],
                in: directory
            )
            #expect(load.status == 0, "\(load.error)")
            let tamper = try SluiceProcess.runTool(
                "sqlite3",
                [
                    "sluice.sqlite",
                    "UPDATE prices SET close = '1.0000' WHERE (symbol, date) IN (SELECT symbol, date FROM prices LIMIT 1)",
                ],
                in: directory
            )
            #expect(tamper.status == 0, "\(tamper.error)")
            let verify = try SluiceProcess.run(["verify", "--table", "prices"], in: directory)
            #expect(verify.status != 0)
            #expect(verify.error.contains("does not match version"))
        }
    }

    @Test func badInputFailsWithOneLineNamingFileLineAndColumnAndChangesNothing() throws {
        try withWorkingDirectory { directory in
            let good = "symbol,date,close\nAAPL,2024-01-02,185.6400\nMSFT,2024-01-02,370.8700\n"
            try good.write(to: directory.appendingPathComponent("good.csv"), atomically: true, encoding: .utf8)
            let first = try jsonObject(
                try SluiceProcess.run(
                    ["load", "good.csv", "--table", "t", "--key", "symbol,date", "--json"],
                    in: directory
                ).output
            )
            let checksum = try #require(first["checksum"] as? String)

            let bad = "symbol,date,close\nAAPL,2024-01-03,186.0000\nMSFT,2024-01-03,abc\n"
            try bad.write(to: directory.appendingPathComponent("bad.csv"), atomically: true, encoding: .utf8)
            let failed = try SluiceProcess.run(
                ["load", "bad.csv", "--table", "t", "--key", "symbol,date"],
                in: directory
            )
            #expect(failed.status == 1)
            let lines = failed.error.split(separator: "\n")
            #expect(lines.count == 1)
            #expect(lines.first?.hasPrefix("error: bad.csv:3:") == true)
            #expect(failed.error.contains("column 'close': expected decimal(18,4), found \"abc\""))

            let verify = try SluiceProcess.run(["verify", "--table", "t", "--json"], in: directory)
            #expect(verify.status == 0)
            #expect(try jsonObject(verify.output)["actual_checksum"] as? String == checksum)
        }
    }

    @Test func rejectsWithinTheThresholdAreWrittenToTheRejectFile() throws {
        try withWorkingDirectory { directory in
            let text = "symbol,date,close\nAAPL,2024-01-02,1.0\nMSFT,2024-01-02,oops\nIBM,2024-01-02,3.5\n"
            try text.write(to: directory.appendingPathComponent("p.csv"), atomically: true, encoding: .utf8)
            let result = try SluiceProcess.run(
                [
                    "load", "p.csv", "--table", "t", "--key", "symbol,date", "--schema", "schema.json", "--max-errors",
                    "1", "--reject-file", "rejects.jsonl", "--json",
                ],
                in: directory,
                environment: [:]
            )  // schema.json is written below; this first run must fail cleanly without it
            #expect(result.status == 1)
            #expect(result.error.contains("schema.json"))

            let schema =
                #"{"columns":[{"name":"symbol","type":"string"},{"name":"date","type":"date"},"#
                + #"{"name":"close","type":"decimal(18,4)"}],"key":["symbol","date"]}"#
            try schema.write(to: directory.appendingPathComponent("schema.json"), atomically: true, encoding: .utf8)
            let loaded = try SluiceProcess.run(
                [
                    "load", "p.csv", "--table", "t", "--schema", "schema.json", "--max-errors", "1", "--reject-file",
                    "rejects.jsonl", "--json",
                ],
                in: directory
            )
            #expect(loaded.status == 0, "\(loaded.error)")
            let metrics = try jsonObject(loaded.output)
            #expect(metrics["records_inserted"] as? Int == 2)
            #expect(metrics["records_failed"] as? Int == 1)
            #expect(metrics["data_quality_score"] as? Double == 0.666667)
            let rejects = try String(contentsOf: directory.appendingPathComponent("rejects.jsonl"), encoding: .utf8)
            let reject = try jsonObject(String(rejects.split(separator: "\n")[0]))
            #expect(reject["source"] as? String == "p.csv")
            #expect(reject["line"] as? Int == 3)
            #expect(reject["column"] as? String == "close")
        }
    }

    @Test func insertOnlyConflictFailsUnlessSkipped() throws {
        try withWorkingDirectory { directory in
            try SluiceProcess.run(["sample", "ohlcv", "--rows", "50", "--output", "p.jsonl"], in: directory)
            #expect(
                try SluiceProcess.run(
                    [
                        "load", "p.jsonl", "--table", "t", "--key", "symbol,date", "--strategy",
                        "insert-only",
                    ],
                    in: directory
                ).status == 0
            )
            let again = try SluiceProcess.run(
                ["load", "p.jsonl", "--table", "t", "--key", "symbol,date", "--strategy", "insert-only"],
                in: directory
            )
            #expect(again.status == 1)
            #expect(again.error.contains("already exist"))
            let skipped = try jsonObject(
                try SluiceProcess.run(
                    [
                        "load", "p.jsonl", "--table", "t", "--strategy", "insert-only", "--on-conflict", "skip",
                        "--json",
                    ],
                    in: directory
                ).output
            )
            #expect(skipped["records_skipped"] as? Int == 50)
        }
    }

    @Test func anAppendRerunIntoAKeyedTableIsANoOpUnlessForced() throws {
        try withWorkingDirectory { directory in
            try SluiceProcess.run(["sample", "ohlcv", "--rows", "300", "--output", "p.csv"], in: directory)
            let arguments = ["load", "p.csv", "--table", "t", "--key", "symbol,date", "--strategy", "append", "--json"]
            let first = try jsonObject(try SluiceProcess.run(arguments, in: directory).output)
            #expect(first["records_inserted"] as? Int == 300)
            let rerun = try SluiceProcess.run(arguments, in: directory)
            #expect(rerun.status == 0, "\(rerun.error)")
            let metrics = try jsonObject(rerun.output)
            #expect(metrics["records_skipped"] as? Int == 300)
            #expect(metrics["changed"] as? Bool == false)
            #expect(metrics["version_id"] as? String == first["version_id"] as? String)
            let forced = try SluiceProcess.run(arguments + ["--force"], in: directory)
            #expect(forced.status == 1)
            #expect(forced.error.contains("already exists; append adds rows without key checks"))
        }
    }

    @Test func usageErrorsExitWithAUsageStatus() throws {
        try withWorkingDirectory { directory in
            let result = try SluiceProcess.run(
                ["load", "x.csv", "--table", "t", "--strategy", "sideways"],
                in: directory
            )
            #expect(result.status == 64)
            #expect(result.error.contains("--strategy must be one of"))
            let missing = try SluiceProcess.run(["load", "missing.csv", "--table", "t"], in: directory)
            #expect(missing.status == 1)
            #expect(missing.error.contains("missing.csv"))
        }
    }

    @Test func pipedOutputHasNoProgressEscapes() throws {
        try withWorkingDirectory { directory in
            try SluiceProcess.run(["sample", "ohlcv", "--rows", "500", "--output", "p.csv"], in: directory)
            let result = try SluiceProcess.run(["load", "p.csv", "--table", "t"], in: directory)
            #expect(result.status == 0)
            #expect(!result.output.contains("\u{1B}"))
            #expect(!result.error.contains("\u{1B}"))
            #expect(result.output.contains("records processed"))
        }
    }
}
