import Foundation
import SluiceTesting
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The built `sluice run` on pipeline files: real SQLite databases, file targets, a PostgreSQL server and a Redis
/// server; failures, skipped dependents, exit codes, the dry run and the summary.
@Suite("sluice run (the built binary)", .timeLimit(.minutes(5)))
struct RunCommandTests {
    /// Writes `text` to `name` in `directory`.
    private func write(_ text: String, _ name: String, in directory: URL) throws {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Makes `data/prices.csv` (`rows` rows over 4 symbols) in `directory`.
    private func sample(rows: Int, in directory: URL, output: String = "data/prices.csv") throws {
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("data"),
            withIntermediateDirectories: true
        )
        let sample = try SluiceProcess.run(
            ["sample", "ohlcv", "--rows", "\(rows)", "--symbols", "4", "--output", output],
            in: directory
        )
        #expect(sample.status == 0, "\(sample.error)")
    }

    private func jobs(_ object: [String: Any]) throws -> [String: [String: Any]] {
        let list = try #require(object["jobs"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as? String ?? "", $0) })
    }

    @Test func aPipelineLoadsExportsRetainsAndVerifiesWithOneResultPerJob() throws {
        try withWorkingDirectory { directory in
            try sample(rows: 800, in: directory)
            try write(
                """
                name: nightly
                targets:
                  local: sqlite:market.sqlite
                  lake: file:lake
                jobs:
                  - {name: prices, target: local, files: "data/*.csv", table: prices, key: [symbol, date], strategy: upsert}
                  - {name: export, kind: export, target: local, table: prices, to: lake, format: csv, depends_on: prices}
                  - {name: keep, kind: retain, target: lake, table: prices, keep_versions: 1, depends_on: export}
                  - {name: check, kind: verify, target: local, table: prices, depends_on: prices}
                """,
                "etc/pipeline.yml",
                in: directory
            )
            // Relative paths start at the pipeline file's folder, wherever sluice runs from.
            try FileManager.default.moveItem(
                at: directory.appendingPathComponent("data"),
                to: directory.appendingPathComponent("etc/data")
            )
            let run = try SluiceProcess.run(
                ["run", "etc/pipeline.yml", "--json", "--metrics-file", "metrics.prom"],
                in: directory
            )
            #expect(run.status == 0, "\(run.error)")
            let object = try jsonObject(run.output)
            #expect(object["success"] as? Bool == true && object["ok"] as? Int == 4)
            let jobs = try jobs(object)
            #expect(jobs["prices"]?["rows"] as? Int == 800 && jobs["prices"]?["status"] as? String == "ok")
            let version = try #require(jobs["prices"]?["version_id"] as? String)
            #expect(jobs["check"]?["version_id"] as? String == version)
            #expect(
                jobs["export"]?["rows"] as? Int == 800 && jobs["export"]?["target"] as? String == "sqlite:market.sqlite"
            )
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("etc/market.sqlite").path))
            #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("etc/lake/prices").path))
            let metrics = try String(contentsOf: directory.appendingPathComponent("metrics.prom"), encoding: .utf8)
            #expect(metrics.contains("sluice_loads_total"))

            let again = try SluiceProcess.run(["run", "etc/pipeline.yml"], in: directory)
            #expect(again.status == 0, "\(again.error)")
            #expect(again.output.contains("prices  load    ok"), "\(again.output)")
            #expect(again.output.contains("(unchanged)") && again.output.contains("4 ok, 0 failed, 0 skipped"))
        }
    }

    @Test func aFailingJobExitsOneSkipsItsDependentsAndReportsTheOthers() throws {
        try withWorkingDirectory { directory in
            try sample(rows: 100, in: directory)
            try write("symbol,date,close\nA,2025-01-02,12.5\nB,2025-01-02,abc\n", "data/bad.csv", in: directory)
            try write(
                """
                {"columns":[{"name":"symbol","type":"string"},{"name":"date","type":"date"},
                {"name":"close","type":"decimal(18,4)"}],"key":["symbol","date"]}
                """,
                "schema.json",
                in: directory
            )
            try write(
                """
                jobs:
                  - {name: bad, target: sqlite:bad.sqlite, files: data/bad.csv, table: quotes, schema: schema.json}
                  - {name: after-bad, target: sqlite:other.sqlite, files: data/prices.csv, table: p, depends_on: bad}
                  - {name: later, target: sqlite:other.sqlite, files: data/prices.csv, table: q, depends_on: after-bad}
                  - {name: fine, target: sqlite:fine.sqlite, files: data/prices.csv, table: prices}
                """,
                "pipeline.yml",
                in: directory
            )
            let run = try SluiceProcess.run(["run", "pipeline.yml", "--json"], in: directory)
            #expect(run.status == 1, "\(run.error)")
            let object = try jsonObject(run.output)
            #expect(object["success"] as? Bool == false)
            #expect(object["failed"] as? Int == 1 && object["skipped"] as? Int == 2 && object["ok"] as? Int == 1)
            let jobs = try jobs(object)
            let error = try #require(jobs["bad"]?["error"] as? String)
            #expect(error.contains("bad.csv:3") && error.contains("abc"), "\(error)")
            #expect(jobs["after-bad"]?["reason"] as? String == "skipped: 'bad' failed")
            #expect(jobs["later"]?["reason"] as? String == "skipped: 'after-bad' did not run")
            #expect(jobs["fine"]?["status"] as? String == "ok" && jobs["fine"]?["rows"] as? Int == 100)
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("other.sqlite").path))

            let rerun = try SluiceProcess.run(
                ["run", "pipeline.yml", "--only", "after-bad,later", "--json"],
                in: directory
            )
            #expect(rerun.status == 0, "\(rerun.error)")
            let rerunJobs = try self.jobs(try jsonObject(rerun.output))
            #expect(Set(rerunJobs.keys) == ["after-bad", "later"])
            #expect(rerunJobs.values.allSatisfy { $0["status"] as? String == "ok" })

            let text = try SluiceProcess.run(["run", "pipeline.yml", "--fail-fast"], in: directory)
            #expect(text.status == 1)
            #expect(text.output.contains("0 ok, 1 failed, 3 skipped"), "\(text.output)")
            #expect(text.output.contains("not started: 'bad' failed (fail-fast)"), "\(text.output)")
            #expect(text.error.contains("error: job 'bad': "), "\(text.error)")
        }
    }

    @Test func anInvalidFileExitsTwoWithEveryProblemAndRunsNothing() throws {
        try withWorkingDirectory { directory in
            try sample(rows: 10, in: directory)
            try write(
                """
                jobs:
                  - name: a
                    files: data/*.parquet
                    table: prices
                    strategy: upsrt
                  - {name: a, target: "postgres://etl:${PGPASSWORD}@db/m", files: data/prices.csv, table: p}
                  - {name: b, files: data/prices.csv, tabel: p, depends_on: [c]}
                """,
                "pipeline.yml",
                in: directory
            )
            let run = try SluiceProcess.run(
                ["run", "pipeline.yml"],
                in: directory,
                environment: ["PGPASSWORD": "invalid-secret-value"]
            )
            #expect(run.status == 2)
            let lines = run.error.split(separator: "\n").map(String.init)
            #expect(lines.count == 6, "\(run.error)")
            #expect(lines.contains { $0.hasPrefix("pipeline.yml:3:12: job 'a': 'data/*.parquet' matches no file") })
            #expect(lines.contains { $0.hasPrefix("pipeline.yml:5:15: job 'a': unknown strategy 'upsrt'") })
            #expect(lines.contains("pipeline.yml:6:12: duplicate job name 'a' (first used at line 2)"))
            #expect(lines.contains("pipeline.yml:7:5: job 'b': missing 'table'"))
            #expect(lines.contains("pipeline.yml:7:39: job 'b': unknown key 'tabel' (did you mean 'table'?)"))
            #expect(lines.contains("pipeline.yml:7:62: job 'b': depends on unknown job 'c'"), "\(lines)")
            #expect(!run.error.contains("invalid-secret-value") && run.output.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("sluice.sqlite").path))

            let json = try SluiceProcess.run(
                ["run", "pipeline.yml", "--json"],
                in: directory,
                environment: ["PGPASSWORD": "invalid-secret-value"]
            )
            #expect(json.status == 2)
            let errors = try #require(try jsonObject(json.output)["errors"] as? [[String: Any]])
            #expect(errors.count == 6 && errors.first?["line"] as? Int == 3 && errors.first?["column"] as? Int == 12)

            let missing = try SluiceProcess.run(["run", "nowhere.yml"], in: directory)
            #expect(missing.status == 2 && missing.error.hasPrefix("error: nowhere.yml: cannot read the pipeline file"))
        }
    }

    @Test func targetURLOptionsAreCheckedBeforeAnythingRuns() throws {
        try withWorkingDirectory { directory in
            try sample(rows: 10, in: directory)
            try write(
                """
                targets:
                  pg: postgres://etl:${PW}@127.0.0.1:1/m?sslmode=sometimes
                jobs:
                  - {name: a, target: pg, files: data/prices.csv, table: p}
                  - {name: b, target: "redis://127.0.0.1:1/0?ttl=soon", files: data/prices.csv, table: p, key: symbol}
                  - {name: c, target: pg, files: data/prices.csv, table: q}
                """,
                "pipeline.yml",
                in: directory
            )
            let run = try SluiceProcess.run(
                ["run", "pipeline.yml", "--dry-run"],
                in: directory,
                environment: ["PW": "pw-secret"]
            )
            #expect(run.status == 2)
            let lines = run.error.split(separator: "\n").map(String.init)
            #expect(lines.count == 2, "\(run.error)")
            #expect(lines.first?.hasPrefix("pipeline.yml:4:23: target 'pg': ") == true, "\(run.error)")
            #expect(lines.first?.contains("sslmode") == true)
            #expect(lines.last?.hasPrefix("pipeline.yml:5:23: target: ttl= 'soon'") == true, "\(run.error)")
            #expect(!run.error.contains("pw-secret"))
        }
    }

    @Test func aRunStartedWhileAnotherHoldsTheFileStopsAtOnce() throws {
        try withWorkingDirectory { directory in
            try sample(rows: 10, in: directory)
            try write("jobs:\n  - {name: a, files: data/prices.csv, table: p}\n", "pipeline.yml", in: directory)
            let descriptor = open(directory.appendingPathComponent("pipeline.yml").path, O_RDONLY)
            #expect(descriptor >= 0 && flock(descriptor, LOCK_EX | LOCK_NB) == 0)
            let busy = try SluiceProcess.run(["run", "pipeline.yml"], in: directory)
            #expect(busy.status == 75)
            #expect(busy.error.contains("pipeline.yml is already running"), "\(busy.error)")
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("sluice.sqlite").path))
            let dryRun = try SluiceProcess.run(["run", "pipeline.yml", "--dry-run"], in: directory)
            #expect(dryRun.status == 0, "a dry run takes no lock")
            close(descriptor)
            let run = try SluiceProcess.run(["run", "pipeline.yml"], in: directory)
            #expect(run.status == 0, "\(run.error)")
        }
    }

    @Test func schemaFilesAreReadBeforeAnythingRuns() throws {
        try withWorkingDirectory { directory in
            try sample(rows: 10, in: directory)
            try write("{\"columns\": [", "broken.json", in: directory)
            try write("{\"columns\":[{\"name\":\"symbol\",\"type\":\"string\"}]}", "keyless.json", in: directory)
            try write(
                """
                jobs:
                  - {name: a, files: data/prices.csv, table: p, schema: broken.json}
                  - {name: b, files: data/prices.csv, table: q, schema: keyless.json, strategy: upsert}
                """,
                "pipeline.yml",
                in: directory
            )
            let run = try SluiceProcess.run(["run", "pipeline.yml"], in: directory)
            #expect(run.status == 2)
            let lines = run.error.split(separator: "\n").map(String.init)
            #expect(lines.count == 2, "\(run.error)")
            #expect(
                lines.first?.hasPrefix("pipeline.yml:2:57: job 'a': 'schema': broken.json: not a schema file") == true
            )
            #expect(
                lines.last
                    == "pipeline.yml:3:57: job 'b': strategy 'upsert' needs a key, and schema file 'keyless.json' has none"
            )
        }
    }

    @Test func aFailedConnectionNeverShowsThePasswordInOutputLogsOrMetrics() throws {
        try withWorkingDirectory { directory in
            try sample(rows: 10, in: directory)
            try write(
                """
                targets:
                  down: postgres://etl:${PW}@127.0.0.1:1/market?sslmode=disable
                jobs:
                  - {name: a, target: down, files: data/prices.csv, table: p}
                  - {name: b, target: sqlite:ok.sqlite, files: data/prices.csv, table: p}
                """,
                "pipeline.yml",
                in: directory
            )
            let run = try SluiceProcess.run(
                [
                    "run", "pipeline.yml", "--json", "--log-level", "debug", "--log-format", "json",
                    "--metrics-file", "metrics.json",
                ],
                in: directory,
                environment: ["PW": "connection-secret-pw"]
            )
            #expect(run.status == 1)
            let jobs = try self.jobs(try jsonObject(run.output))
            #expect(jobs["a"]?["status"] as? String == "failed" && jobs["b"]?["status"] as? String == "ok")
            #expect(jobs["a"]?["target"] as? String == "postgres://etl:***@127.0.0.1:1/market?sslmode=disable")
            #expect(run.error.contains("\"job\":\"a\""), "\(run.error)")
            let metrics = try String(contentsOf: directory.appendingPathComponent("metrics.json"), encoding: .utf8)
            #expect(metrics.contains("sluice_loads_total"))
            for text in [run.output, run.error, metrics] { #expect(!text.contains("connection-secret-pw")) }
        }
    }

    @Test func aDryRunPrintsThePlanRedactedAndTouchesNothing() throws {
        try withWorkingDirectory { directory in
            try sample(rows: 10, in: directory)
            try write(
                """
                parallel: 2
                targets:
                  warehouse: postgres://etl:${PGPASSWORD}@127.0.0.1:1/market
                jobs:
                  - {name: local, target: sqlite:market.sqlite, files: "data/*.csv", table: prices}
                  - {name: remote, target: warehouse, files: data/prices.csv, table: prices, key: "symbol,date"}
                  - {name: copy, kind: export, target: sqlite:market.sqlite, table: prices, to: file:lake}
                """,
                "pipeline.yml",
                in: directory
            )
            let environment = ["PGPASSWORD": "dryrun-secret-value"]
            let run = try SluiceProcess.run(
                ["run", "pipeline.yml", "--dry-run"],
                in: directory,
                environment: environment
            )
            #expect(run.status == 0, "\(run.error)")
            #expect(run.output.contains("plan: pipeline.yml: 3 jobs, up to 2 at once"), "\(run.output)")
            #expect(run.output.contains("target    warehouse (postgres://etl:***@127.0.0.1:1/market)"), "\(run.output)")
            #expect(run.output.contains("files     1: data/prices.csv"))
            #expect(run.output.contains("queued    behind local (same target)"))
            #expect(!run.output.contains("dryrun-secret-value") && !run.error.contains("dryrun-secret-value"))
            let json = try SluiceProcess.run(
                ["run", "pipeline.yml", "--dry-run", "--json", "--parallel", "1"],
                in: directory,
                environment: environment
            )
            let plan = try jsonObject(json.output)
            #expect(plan["parallel"] as? Int == 1)
            let jobs = try #require(plan["jobs"] as? [[String: Any]])
            #expect(jobs.map { $0["group"] as? Int } == [1, 2, 1])
            #expect(!json.output.contains("dryrun-secret-value"))
            let contents = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            #expect(contents == ["data", "pipeline.yml"])
        }
    }

    @Test func jobsOnDifferentTargetsOverlapInTime() async throws {
        try await withRedisServer { redis in
            try withWorkingDirectory { directory in
                try sample(rows: 200, in: directory)
                try write(
                    """
                    parallel: 2
                    jobs:
                      - {name: cache, target: "redis://127.0.0.1:${REDIS_PORT}/0", files: data/prices.csv, table: p, key: "symbol,date"}
                      - {name: local, target: sqlite:local.sqlite, files: data/prices.csv, table: p}
                    """,
                    "pipeline.yml",
                    in: directory
                )
                // The Redis server holds writes for 2 s: the cache job is still running when the SQLite job ends.
                _ = try redis.cli("CLIENT", "PAUSE", "2000", "WRITE")
                let run = try SluiceProcess.run(
                    ["run", "pipeline.yml", "--json"],
                    in: directory,
                    environment: ["REDIS_PORT": "\(redis.port)"]
                )
                #expect(run.status == 0, "\(run.error)")
                let jobs = try self.jobs(try jsonObject(run.output))
                let cache = try #require(jobs["cache"])
                let local = try #require(jobs["local"])
                let cacheStart = try #require(cache["started_at"] as? String)
                let cacheEnd = try #require(cache["finished_at"] as? String)
                let localStart = try #require(local["started_at"] as? String)
                let localEnd = try #require(local["finished_at"] as? String)
                #expect(
                    localStart < cacheEnd && cacheStart < localEnd,
                    "cache \(cacheStart)–\(cacheEnd), local \(localStart)–\(localEnd)"
                )
                #expect(
                    (cache["ran_beside"] as? [String]) == ["local"] && (local["ran_beside"] as? [String]) == ["cache"]
                )
            }
        }
    }

    @Test func jobsOnPostgresRedisAndSQLiteRunSideBySideButNeverTwoOnOneTarget() async throws {
        let postgres = try PostgresServer.shared
        let database = try postgres.createDatabase(prefix: "run")
        try await withRedisServer { redis in
            try withWorkingDirectory { directory in
                try sample(rows: 3000, in: directory)
                try write(
                    """
                    parallel: 3
                    targets:
                      warehouse: ${WAREHOUSE_URL}
                      cache: redis://127.0.0.1:${REDIS_PORT}/0
                      local: sqlite:local.sqlite
                    jobs:
                      - {name: pg, target: warehouse, files: data/prices.csv, table: prices, key: [symbol, date]}
                      - name: cache
                        target: cache
                        files: data/prices.csv
                        table: prices
                        key: [symbol, date]
                        namespace: pl
                        ttl_rules: {"pl:prices:*": 1h}
                      - {name: s1, target: local, files: data/prices.csv, table: a}
                      - {name: s2, target: local, files: data/prices.csv, table: b}
                      - {name: pg-check, kind: verify, target: warehouse, table: prices, depends_on: pg}
                    """,
                    "pipeline.yml",
                    in: directory
                )
                let environment = [
                    "WAREHOUSE_URL": postgres.url(database: database), "REDIS_PORT": "\(redis.port)",
                ]
                let run = try SluiceProcess.run(
                    ["run", "pipeline.yml", "--json"],
                    in: directory,
                    environment: environment
                )
                #expect(run.status == 0, "\(run.error)")
                let jobs = try jobs(try jsonObject(run.output))
                #expect(jobs.values.allSatisfy { $0["status"] as? String == "ok" }, "\(run.output)")
                #expect(try postgres.psql("SELECT count(*) FROM prices", database: database) == "3000")
                let keys = try redis.cli("--scan", "--pattern", "pl:prices:*").split(separator: "\n")
                #expect(keys.count == 3000)
                let ttl = Int(try redis.cli("TTL", String(keys[0]))) ?? 0
                #expect(ttl > 3000 && ttl <= 3600)
                // s1 and s2 share local.sqlite: s2 started after s1 ended, and neither ran beside the other.
                let s1 = try #require(jobs["s1"])
                let s2 = try #require(jobs["s2"])
                #expect(!(s1["ran_beside"] as? [String] ?? []).contains("s2"))
                let ended = try #require(s1["finished_at"] as? String)
                let started = try #require(s2["started_at"] as? String)
                #expect(ended <= started, "s1 ended \(ended), s2 started \(started)")
            }
        }
    }
}
