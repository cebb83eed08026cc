import Foundation
import SluiceTesting
import Testing

/// `--metrics-file`, `--metrics-format`, `--log-level` and `--log-format` on the built binary: Prometheus text and
/// JSON metrics of successful and failed loads, JSON log lines carrying the load id, version id and table, and no
/// password anywhere the runs printed or wrote.
@Suite("sluice metrics and logs (the built binary)")
struct ObservabilityCommandTests {
    /// The JSON objects among `text`'s lines (log lines), each checked to parse.
    static func logLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").filter { $0.hasPrefix("{") }.map { try jsonObject(String($0)) }
    }

    static func read(_ file: URL) throws -> String { try String(contentsOf: file, encoding: .utf8) }

    @Test func aLoadWritesPrometheusTextAndJSONLogLines() throws {
        try withWorkingDirectory { directory in
            try SluiceProcess.run(
                ["sample", "ohlcv", "--rows", "100", "--symbols", "5", "--output", "p.csv"],
                in: directory
            )
            let load = try SluiceProcess.run(
                [
                    "load", "p.csv", "--into", "sqlite:db.sqlite", "--table", "prices", "--key", "symbol,date",
                    "--json", "--metrics-file", "m.prom", "--log-level", "debug", "--log-format", "json",
                ],
                in: directory
            )
            #expect(load.status == 0, "\(load.error)")
            let result = try jsonObject(load.output)
            let loadID = try #require(result["load_id"] as? String)
            let versionID = try #require(result["version_id"] as? String)

            let prometheus = try Self.read(directory.appendingPathComponent("m.prom"))
            let series = #"{outcome="inserted",table="prices",target="sqlite:db.sqlite"}"#
            #expect(prometheus.contains("# TYPE sluice_records_total counter\n"), "\(prometheus)")
            #expect(prometheus.contains("sluice_records_total\(series) 100\n"), "\(prometheus)")
            #expect(
                prometheus.contains(
                    #"sluice_loads_total{outcome="success",table="prices",target="sqlite:db.sqlite"} 1"#
                )
            )
            #expect(
                prometheus.contains(#"sluice_load_duration_seconds_count{table="prices",target="sqlite:db.sqlite"} 1"#)
            )
            #expect(prometheus.contains("# TYPE sluice_load_duration_seconds summary\n"))
            #expect(prometheus.contains("sluice_bytes_read_total{"))

            let lines = try Self.logLines(load.error)
            #expect(!lines.isEmpty, "\(load.error)")
            for line in lines {
                #expect(line["timestamp"] is String && line["level"] is String && line["message"] is String)
                let metadata = line["metadata"] as? [String: Any]
                #expect(metadata?["load_id"] as? String == loadID, "\(line)")
                #expect(metadata?["table"] as? String == "prices", "\(line)")
            }
            let loaded = try #require(lines.first { $0["message"] as? String == "loaded" })
            #expect((loaded["metadata"] as? [String: Any])?["version_id"] as? String == versionID)

            let failed = try SluiceProcess.run(
                ["load", "missing.csv", "--into", "sqlite:db.sqlite", "--table", "prices", "--metrics-file", "m.json"],
                in: directory
            )
            #expect(failed.status != 0)
            let json = try jsonObject(try Self.read(directory.appendingPathComponent("m.json")))
            let metrics = try #require(json["metrics"] as? [[String: Any]])
            let failure = metrics.first {
                $0["name"] as? String == "sluice_loads_total"
                    && ($0["labels"] as? [String: String])?["outcome"] == "failure"
            }
            #expect(failure?["value"] as? Double == 1, "\(metrics)")
        }
    }

    /// The value of the first Prometheus sample of `name` in `text` whose labels hold every one of `labels`.
    static func sample(_ text: String, _ name: String, _ labels: String...) -> Double? {
        let line = text.split(separator: "\n").first { line in
            line.hasPrefix(name + "{") && labels.allSatisfy { line.prefix { $0 != "}" }.contains($0) }
        }
        return line.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }
    }

    @Test func exportArchiveRestoreVerifyAndRollbackWriteMetricsAndLogs() throws {
        try withWorkingDirectory { directory in
            try SluiceProcess.run(
                ["sample", "ohlcv", "--rows", "200", "--symbols", "4", "--output", "p.csv"],
                in: directory
            )
            let observed = ["--log-level", "debug", "--log-format", "json"]
            let runs: [(name: String, arguments: [String])] = [
                ("load", ["load", "p.csv", "--into", "sqlite:db.sqlite", "--table", "prices", "--key", "symbol,date"]),
                ("export", ["export", "--target", "sqlite:db.sqlite", "--table", "prices", "--to", "file:out"]),
                ("verify", ["verify", "--target", "sqlite:db.sqlite", "--table", "prices"]),
                (
                    "archive",
                    [
                        "archive", "--target", "sqlite:db.sqlite", "--table", "prices", "--before", "2100-01-01",
                        "--to", "file:archive",
                    ]
                ),
                (
                    "restore",
                    ["restore", "--archive", "file:archive", "--table", "prices", "--into", "sqlite:db.sqlite"]
                ),
            ]
            var metrics: [String: String] = [:]
            for run in runs {
                let file = "\(run.name).prom"
                let result = try SluiceProcess.run(run.arguments + observed + ["--metrics-file", file], in: directory)
                #expect(result.status == 0, "\(run.name): \(result.error)")
                let lines = try Self.logLines(result.error)
                #expect(
                    result.error.split(separator: "\n").allSatisfy { $0.hasPrefix("{") },
                    "\(run.name): a log line is not JSON: \(result.error)"
                )
                if run.name != "verify" { #expect(!lines.isEmpty, "\(run.name) logged nothing") }
                metrics[run.name] = try Self.read(directory.appendingPathComponent(file))
            }
            let sqlite = #"table="prices",target="sqlite:db.sqlite""#
            let files = #"/out""#
            #expect(Self.sample(metrics["export"] ?? "", "sluice_loads_total", #"outcome="success""#, files) == 1)
            #expect(
                Self.sample(metrics["export"] ?? "", "sluice_records_total", #"outcome="inserted""#, files) == 200,
                "\(metrics["export"] ?? "")"
            )
            #expect(
                Self.sample(metrics["verify"] ?? "", "sluice_verify_valid", sqlite) == 1,
                "\(metrics["verify"] ?? "")"
            )
            #expect(Self.sample(metrics["verify"] ?? "", "sluice_verify_rows", sqlite) == 200)
            #expect(
                Self.sample(
                    metrics["archive"] ?? "",
                    "sluice_records_total",
                    #"outcome="inserted""#,
                    #"/archive""#
                ) == 200,
                "\(metrics["archive"] ?? "")"
            )
            #expect(
                Self.sample(metrics["restore"] ?? "", "sluice_records_total", #"outcome="inserted""#, sqlite) == 200,
                "\(metrics["restore"] ?? "")"
            )

            let versions = try SluiceProcess.run(
                ["versions", "--target", "sqlite:db.sqlite", "--table", "prices", "--json"],
                in: directory
            )
            let list = try JSONSerialization.jsonObject(with: Data(versions.output.utf8)) as? [[String: Any]]
            // The archive's delete recorded no history; the restore after it did, so the rollback goes back to the delete.
            let emptied = try #require(list?.dropFirst().first?["id"] as? String)
            let rollback = try SluiceProcess.run(
                ["rollback", "--target", "sqlite:db.sqlite", "--table", "prices", "--to", emptied]
                    + observed + ["--metrics-file", "rollback.prom"],
                in: directory
            )
            #expect(rollback.status == 0, "\(rollback.error)")
            #expect(try Self.logLines(rollback.error).count == rollback.error.split(separator: "\n").count)
            let rolledBack = try Self.read(directory.appendingPathComponent("rollback.prom"))
            #expect(Self.sample(rolledBack, "sluice_loads_total", #"outcome="success""#, sqlite) == 1, "\(rolledBack)")

            // A table that no longer matches its version: verify fails, and says so in its metrics too.
            let tamper = try SluiceProcess.runTool(
                "/usr/bin/sqlite3",
                ["db.sqlite", "INSERT INTO prices (symbol, date, volume) VALUES ('ZZZZ', '2024-01-02', 1)"],
                in: directory
            )
            #expect(tamper.status == 0, "\(tamper.error)")
            let bad = try SluiceProcess.run(
                ["verify", "--target", "sqlite:db.sqlite", "--table", "prices", "--metrics-file", "bad.json"],
                in: directory
            )
            #expect(bad.status != 0)
            let json = try jsonObject(try Self.read(directory.appendingPathComponent("bad.json")))
            let valid = (json["metrics"] as? [[String: Any]])?.first { $0["name"] as? String == "sluice_verify_valid" }
            #expect(valid?["value"] as? Double == 0, "\(json)")
        }
    }

    @Test func badOptionsAreRefused() throws {
        try withWorkingDirectory { directory in
            let level = try SluiceProcess.run(["load", "p.csv", "--table", "t", "--log-level", "loud"], in: directory)
            #expect(level.status != 0 && level.error.contains("--log-level"), "\(level.error)")
            let format = try SluiceProcess.run(
                ["load", "p.csv", "--table", "t", "--metrics-format", "json"],
                in: directory
            )
            #expect(format.status != 0 && format.error.contains("--metrics-file"), "\(format.error)")
        }
    }

    /// Every run at trace level with JSON logs and a metrics file: a good load, a load of bad input, a wrong
    /// password and a refused connection. Nothing any of them printed or wrote holds a password.
    @Test func noPasswordInAnyLogLineErrorOrMetric() async throws {
        let passwords = ["superuser-secret-5521", "loader-secret-7734", "wrong-secret-9902", "refused-secret-3318"]
        let configuration = PostgresServer.Configuration(superuserPassword: passwords[0])
        try await withPostgresServer(configuration) { server in
            try server.psql("CREATE ROLE loader LOGIN PASSWORD '\(passwords[1])'; CREATE DATABASE market OWNER loader")
            try withWorkingDirectory { directory in
                try SluiceProcess.run(["sample", "ohlcv", "--rows", "200", "--output", "p.csv"], in: directory)
                try "symbol,date,close\nAAPL,2024-01-02,\"unterminated\n".write(
                    to: directory.appendingPathComponent("bad.csv"),
                    atomically: true,
                    encoding: .utf8
                )
                let right = server.url(database: "market", user: "loader", password: passwords[1])
                let wrong = server.url(database: "market", user: "loader", password: passwords[2])
                let refused = "postgres://loader:\(passwords[3])@127.0.0.1:1/market?sslmode=disable"
                let runs: [(file: String, url: String, succeeds: Bool)] = [
                    ("p.csv", right, true), ("bad.csv", right, false), ("p.csv", wrong, false),
                    ("p.csv", refused, false),
                ]
                var everything = ""
                for (index, run) in runs.enumerated() {
                    let metricsFile = "m\(index).prom"
                    let outcome = try SluiceProcess.run(
                        [
                            "load", run.file, "--into", run.url, "--table", "prices", "--key", "symbol,date", "--json",
                            "--log-level", "trace", "--log-format", "json", "--metrics-file", metricsFile,
                        ],
                        in: directory
                    )
                    #expect((outcome.status == 0) == run.succeeds, "\(run.file) \(outcome.error.suffix(2000))")
                    _ = try Self.logLines(outcome.error)
                    let metrics = try Self.read(directory.appendingPathComponent(metricsFile))
                    let outcomeLabel = run.succeeds ? "success" : "failure"
                    #expect(metrics.contains(#"sluice_loads_total{outcome="\#(outcomeLabel)""#), "\(metrics)")
                    everything += outcome.output + outcome.error + metrics
                }
                #expect(everything.contains("\"level\":\"trace\""))
                for password in passwords {
                    #expect(!everything.contains(password), "\(password) appears in what sluice printed")
                }
            }
        }
    }

    /// The same for Redis: a good load and a wrong password, into a server with a password.
    @Test func noPasswordInRedisLogLinesErrorsOrMetrics() async throws {
        let passwords = ["redis-secret-6150", "redis-wrong-2274"]
        try await withRedisServer(.init(password: passwords[0])) { server in
            try withWorkingDirectory { directory in
                try SluiceProcess.run(["sample", "ohlcv", "--rows", "50", "--output", "p.csv"], in: directory)
                var everything = ""
                for (index, url) in [server.url(database: 1), server.url(database: 1, password: passwords[1])]
                    .enumerated()
                {
                    let outcome = try SluiceProcess.run(
                        [
                            "load", "p.csv", "--into", url, "--table", "prices", "--key", "symbol,date", "--json",
                            "--log-level", "trace", "--log-format", "json", "--metrics-file", "r\(index).prom",
                        ],
                        in: directory
                    )
                    #expect((outcome.status == 0) == (index == 0), "\(outcome.error.suffix(2000))")
                    _ = try Self.logLines(outcome.error)
                    everything += outcome.output + outcome.error
                    everything += try Self.read(directory.appendingPathComponent("r\(index).prom"))
                }
                #expect(everything.contains(#"target="redis://127.0.0.1:"#), "\(everything.suffix(2000))")
                for password in passwords {
                    #expect(!everything.contains(password), "\(password) appears in what sluice printed")
                }
            }
        }
    }
}
