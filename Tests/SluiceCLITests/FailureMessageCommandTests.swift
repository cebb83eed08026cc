import Foundation
import SluiceTesting
import Testing

/// Failures that must be fast and precise, through the built binary: TLS to a server that does not speak it is named
/// as such at once, and a truncated compressed file names the line its stream ends in.
@Suite("Fast, precise failures (the built binary)", .timeLimit(.minutes(2)))
struct FailureMessageCommandTests {
    @Test func rediss_toAPlainServerFailsNamingTLS() throws {
        let server = try RedisServer.shared
        try withWorkingDirectory { directory in
            try "symbol,date,close\nAAPL,2024-01-02,1.00\n".write(
                to: directory.appendingPathComponent("p.csv"),
                atomically: true,
                encoding: .utf8
            )
            let load = try SluiceProcess.run(
                [
                    "load", "p.csv", "--into", "rediss://127.0.0.1:\(server.port)/0?verify=none", "--table", "tls",
                    "--key", "symbol,date",
                ],
                in: directory
            )
            #expect(load.status != 0)
            let errors = load.error.split(separator: "\n").filter { $0.hasPrefix("error:") }
            #expect(errors.count == 1, "\(load.error)")
            #expect(errors.first?.contains("TLS handshake failed") == true, "\(load.error)")
            #expect(errors.first?.contains("plain redis://") == true, "\(load.error)")
        }
    }

    @Test func aTruncatedGzipFileNamesTheLineItEndsIn() throws {
        try withWorkingDirectory { directory in
            var text = "symbol,date,close,volume\n"
            for day in 0..<40_000 { text += "S\(day),2024-01-02,\(day).2500,\(day)\n" }
            let csv = directory.appendingPathComponent("t.csv")
            try text.write(to: csv, atomically: true, encoding: .utf8)
            let gzip = try SluiceProcess.runTool("gzip", ["-k", "t.csv"], in: directory)
            #expect(gzip.status == 0, "\(gzip.error)")
            let compressed = directory.appendingPathComponent("t.csv.gz")
            let size = try #require(try FileManager.default.attributesOfItem(atPath: compressed.path)[.size] as? Int)
            let handle = try FileHandle(forWritingTo: compressed)
            try handle.truncate(atOffset: UInt64(size / 2))
            try handle.close()

            let load = try SluiceProcess.run(
                ["load", "t.csv.gz", "--into", "sqlite:t.sqlite", "--table", "t"],
                in: directory
            )
            #expect(load.status != 0)
            let line = load.error.trimmingCharacters(in: .whitespacesAndNewlines)
            let pattern =
                #/^error: t\.csv\.gz: line (\d+): the gzip stream ends early, after (\d+) complete lines \(truncated file; \d+ bytes of input\)$/#
            let match = try #require(try pattern.wholeMatch(in: line), "\(line)")
            let (at, complete) = (Int(match.1) ?? 0, Int(match.2) ?? 0)
            #expect(at > 1_000 && at <= 40_001 && complete == at - 1, "\(line)")
            // Nothing was created: no table t (the database file may not even exist).
            if FileManager.default.fileExists(atPath: directory.appendingPathComponent("t.sqlite").path) {
                let tables = try SluiceProcess.runTool(
                    "sqlite3",
                    ["t.sqlite", "SELECT count(*) FROM sqlite_master WHERE name = 't'"],
                    in: directory
                )
                #expect(tables.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(tables.error)")
            }
        }
    }
}
