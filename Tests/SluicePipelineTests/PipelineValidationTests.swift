import SluicePipeline
import Testing

/// Every problem is reported at once, each on one line naming the place in the file.
@Suite("Pipeline files: validation errors with line and column")
struct PipelineValidationTests {
    @Test func unknownKeysSuggestTheClosestKnownOne() throws {
        try withFixture(files: ["a.csv"]) { fixture in
            let problems = fixture.problems(
                """
                paralel: 2
                jobs:
                  - name: a
                    files: a.csv
                    table: a
                    strategey: upsert
                    keep_days: 3
                """
            )
            #expect(problems.contains("pipeline.yml:1:1: pipeline: unknown key 'paralel' (did you mean 'parallel'?)"))
            #expect(problems.contains("pipeline.yml:6:5: job 'a': unknown key 'strategey' (did you mean 'strategy'?)"))
            #expect(problems.contains("pipeline.yml:7:5: job 'a': 'keep_days' belongs to a retain job, not here"))
        }
    }

    @Test func wrongTypesAndUnknownValuesAreNamed() throws {
        try withFixture(files: ["a.csv"]) { fixture in
            let problems = fixture.problems(
                """
                parallel: many
                jobs:
                  - name: a
                    files: a.csv
                    table: [a, b]
                    strategy: upsrt
                    input: {format: xml, compression: rar}
                  - {name: e, kind: export, table: t, to: file:x, format: avro, compression: zip}
                  - {name: f, kind: exprot, table: t}
                """
            )
            #expect(
                problems.contains(
                    "pipeline.yml:1:11: pipeline: 'parallel' must be a whole number, 1 to 64 (found 'many')"
                )
            )
            #expect(problems.contains("pipeline.yml:5:12: job 'a': 'table' must be a string, found a list"))
            #expect(
                problems.contains {
                    $0.hasPrefix("pipeline.yml:6:15: job 'a': unknown strategy 'upsrt' (did you mean 'upsert'?)")
                }
            )
            #expect(problems.contains { $0.hasPrefix("pipeline.yml:7:21: 'input' of job 'a': unknown format 'xml'") })
            #expect(
                problems.contains { $0.hasPrefix("pipeline.yml:7:39: 'input' of job 'a': unknown compression 'rar'") }
            )
            #expect(problems.contains { $0.hasPrefix("pipeline.yml:8:59: job 'e': unknown format 'avro'") })
            #expect(problems.contains { $0.hasPrefix("pipeline.yml:8:78: job 'e': unknown compression 'zip'") })
            #expect(
                problems.contains {
                    $0.hasPrefix("pipeline.yml:9:21: job 'f': unknown kind 'exprot' (did you mean 'export'?)")
                }
            )
        }
    }

    @Test func missingFieldsAndKeysAStrategyNeeds() throws {
        try withFixture(files: ["a.csv"]) { fixture in
            let problems = fixture.problems(
                """
                jobs:
                  - name: a
                    files: a.csv
                    strategy: update-only
                  - table: b
                    files: a.csv
                    cursor: date
                  - {name: c, kind: archive, table: t, to: file:x}
                  - {name: d, kind: retain, target: sqlite:x.sqlite, table: t}
                """
            )
            #expect(problems.contains("pipeline.yml:2:5: job 'a': missing 'table'"))
            #expect(
                problems.contains(
                    "pipeline.yml:4:15: job 'a': strategy 'update-only' needs a key: give 'key' (e.g. key: [symbol, date]) or a 'schema' file with one"
                )
            )
            #expect(problems.contains("pipeline.yml:5:5: job 2: missing 'name'"))
            #expect(problems.contains("pipeline.yml:7:5: job 2: 'cursor' applies to strategy 'incremental' only"))
            #expect(problems.contains { $0.hasPrefix("pipeline.yml:8:5: job 'c': give 'older_than'") })
            #expect(
                problems.contains {
                    $0.hasPrefix("pipeline.yml:9:5: job 'd': give 'keep_versions', 'keep_days' or both")
                }
            )
            #expect(problems.contains { $0.hasPrefix("pipeline.yml:9:37: job 'd': retain applies to file targets") })
        }
    }

    @Test func globsThatMatchNothingAndMissingFiles() throws {
        try withFixture(files: ["data/a.csv"]) { fixture in
            let problems = fixture.problems(
                """
                jobs:
                  - name: a
                    table: a
                    files:
                      - data/*.csv
                      - data/*.parquet
                      - data/missing.csv
                    schema: nowhere.json
                """
            )
            #expect(problems.count == 3)
            #expect(problems[0].hasPrefix("pipeline.yml:6:9: job 'a': 'data/*.parquet' matches no file"))
            #expect(problems[1].hasPrefix("pipeline.yml:7:9: job 'a': no such file 'data/missing.csv'"))
            #expect(problems[2] == "pipeline.yml:8:13: job 'a': no such file 'nowhere.json' ('schema')")
        }
    }

    @Test func unknownVariablesAreNamedAndSecretsNeverPrinted() throws {
        try withFixture(files: ["a.csv"]) { fixture in
            let problems = fixture.problems(
                """
                targets:
                  db: postgres://etl:${PGPASSWORD}@${PGHOST}:5432/market
                jobs:
                  - {name: a, target: db, files: a.csv, table: "${TABLE}", strategy: upsert}
                """,
                environment: ["PGPASSWORD": "hunter2-secret"]
            )
            #expect(
                problems == [
                    "pipeline.yml:2:36: target 'db': 'url': environment variable 'PGHOST' is not set (or give a default: ${PGHOST:-VALUE})",
                    "pipeline.yml:4:49: job 'a': 'table': environment variable 'TABLE' is not set (or give a default: ${TABLE:-VALUE})",
                    "pipeline.yml:4:70: job 'a': strategy 'upsert' needs a key: give 'key' (e.g. key: [symbol, date]) or a 'schema' file with one",
                ]
            )
            #expect(!problems.joined().contains("hunter2-secret"))
        }
    }

    @Test func duplicateNamesUnknownDependenciesAndCycles() throws {
        try withFixture(files: ["a.csv"]) { fixture in
            let problems = fixture.problems(
                """
                jobs:
                  - {name: a, files: a.csv, table: a, depends_on: c}
                  - {name: a, files: a.csv, table: b}
                  - {name: b, files: a.csv, table: b, depends_on: [prise]}
                  - {name: c, files: a.csv, table: c, depends_on: [d]}
                  - {name: d, files: a.csv, table: d, depends_on: [c]}
                  - {name: prices, files: a.csv, table: e, depends_on: [prices]}
                """
            )
            #expect(problems.contains("pipeline.yml:3:12: duplicate job name 'a' (first used at line 2)"))
            #expect(
                problems.contains("pipeline.yml:4:52: job 'b': depends on unknown job 'prise' (did you mean 'prices'?)")
            )
            #expect(problems.contains("pipeline.yml:6:52: dependency cycle: c -> d -> c"))
            #expect(problems.contains("pipeline.yml:7:57: job 'prices' depends on itself"))
        }
    }

    @Test func yamlSyntaxErrorsNameTheirPlace() throws {
        try withFixture { fixture in
            let problems = fixture.problems("jobs:\n  - name: a\n    table: [a\n")
            #expect(problems.count == 1)
            #expect(problems.first?.hasPrefix("pipeline.yml:4:1: YAML:") == true)
            let duplicate = fixture.problems("jobs: []\njobs: []\n")
            #expect(duplicate.first?.contains("duplicate key 'jobs'") == true)
        }
    }

    @Test func cacheAndFileOptionsBelongToTheirTargets() throws {
        try withFixture(files: ["a.csv"]) { fixture in
            let problems = fixture.problems(
                """
                jobs:
                  - {name: a, target: sqlite:a.sqlite, files: a.csv, table: a, ttl: 5m, format: csv}
                  - {name: b, target: "redis://h:6379/0", files: a.csv, table: b, ttl: soon, ttl_rules: ["x:*=0"]}
                """
            )
            #expect(problems.contains { $0.hasPrefix("pipeline.yml:2:64: job 'a': 'ttl' describes a Redis target") })
            #expect(problems.contains { $0.hasPrefix("pipeline.yml:2:73: job 'a': 'format' describes a file target") })
            #expect(problems.contains { $0.hasPrefix("pipeline.yml:3:72: job 'b': 'ttl' must be a duration above 0") })
            #expect(problems.contains { $0.hasPrefix("pipeline.yml:3:90: job 'b': TTL of 'x:*' must be a duration") })
        }
    }
}
