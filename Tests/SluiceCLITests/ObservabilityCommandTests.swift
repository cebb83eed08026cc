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
