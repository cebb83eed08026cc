import Foundation
import Sluice
import SluiceFormats
import SluicePipeline
import Testing

@Suite("Pipeline files: reading and the model")
struct PipelineParserTests {
    @Test func aFullPipelineReadsIntoJobsWithTheirSettings() throws {
        try withFixture(files: ["data/prices-2024.csv", "data/prices-2025.csv", "data/b/facts.csv", "schema.json"]) {
            fixture in
            let pipeline = try fixture.parse(
                """
                version: 1
                name: nightly
                parallel: 2
                fail_fast: true
                targets:
                  warehouse: postgres://etl:${PGPASSWORD}@db:5432/market
                  cache: redis://127.0.0.1:6379/0
                jobs:
                  - name: prices
                    target: warehouse
                    files: data/prices-*.csv
                    table: prices
                    key: [symbol, date]
                    strategy: upsert
                    validate: positive-price, not-null:symbol
                    indexes: [[date], "symbol,date"]
                    input: {format: csv, delimiter: ",", batch_size: 1000}
                  - name: facts
                    target: sqlite:local.sqlite
                    files: ["data/**/*.csv"]
                    table: facts
                    strategy: append
                  - name: warm
                    target: cache
                    files: data/prices-2025.csv
                    table: prices
                    key: symbol,date
                    namespace: md
                    ttl: 1d
                    ttl_rules: {"md:prices:*": 300}
                    depends_on: prices
                  - name: export
                    kind: export
                    target: warehouse
                    table: prices
                    to: file:exports
                    format: csv
                    since_last: true
                    where: {from: 2025-01-01, column: date}
                  - {name: old, kind: archive, target: warehouse, table: prices, older_than: 2y, to: file:archive}
                  - {name: keep, kind: retain, target: file:exports, table: prices, keep_versions: 3}
                  - {name: check, kind: verify, target: warehouse, table: prices}
                """,
                environment: ["PGPASSWORD": "s3cret"]
            )
            #expect(pipeline.name == "nightly" && pipeline.parallel == 2 && pipeline.failFast)
            #expect(pipeline.jobs.map(\.kind) == [.load, .load, .load, .export, .archive, .retain, .verify])
            let prices = try #require(pipeline.jobs.first)
            #expect(prices.target.url == "postgres://etl:s3cret@db:5432/market")
            #expect(prices.target.redacted == "postgres://etl:***@db:5432/market")
            guard case .load(let load) = prices.action else {
                Issue.record("not a load")
                return
            }
            #expect(load.files == ["data/prices-2024.csv", "data/prices-2025.csv"])
            #expect(load.key == ["symbol", "date"] && load.strategy == .upsert)
            #expect(load.validators == [.positivePrice, .notNull(["symbol"])])
            #expect(load.indexes == [["date"], ["symbol", "date"]])
            #expect(load.readOptions.batchSize == 1000 && load.readOptions.format == .csv)
            guard case .load(let facts) = pipeline.jobs[1].action else {
                Issue.record("not a load")
                return
            }
            #expect(facts.files == ["data/b/facts.csv", "data/prices-2024.csv", "data/prices-2025.csv"])
            let warm = pipeline.jobs[2]
            #expect(
                warm.target.url == "redis://127.0.0.1:6379/0?namespace=md&ttl=1d&ttl_rule=md:prices:%2A%3D300"
                    || warm.target.url.hasPrefix("redis://127.0.0.1:6379/0?namespace=md&ttl=1d&ttl_rule=md:prices:")
            )
            #expect(warm.dependsOn.map(\.value) == ["prices"])
            guard case .export(let export) = pipeline.jobs[3].action else {
                Issue.record("not an export")
                return
            }
            #expect(export.destination.url == "file:exports?format=csv" && export.sinceLast)
            #expect(export.window == DayWindow(from: CivilDate("2025-01-01"), to: nil, column: "date"))
            guard case .archive(let archive) = pipeline.jobs[4].action else {
                Issue.record("not an archive")
                return
            }
            #expect(archive.olderThanDays == 730 && archive.archive.url == "file:archive")
        }
    }

    @Test func mergeKeysAndAnchorsShareSettings() throws {
        try withFixture(files: ["a.csv", "b.csv"]) { fixture in
            let pipeline = try fixture.parse(
                """
                x-defaults: &load
                  target: sqlite:db.sqlite
                  key: [symbol, date]
                  strategy: upsert
                jobs:
                  - {<<: *load, name: a, files: a.csv, table: a}
                  - {<<: *load, name: b, files: b.csv, table: b, strategy: replace}
                """
            )
            #expect(pipeline.jobs.count == 2)
            guard case .load(let b) = pipeline.jobs[1].action else { return }
            #expect(b.strategy == .replace && b.key == ["symbol", "date"])
        }
    }

    @Test func withoutATargetJobsUseTheTopLevelOneElseTheDefault() throws {
        try withFixture(files: ["a.csv"]) { fixture in
            let named = try fixture.parse("target: file:lake\njobs:\n  - {name: a, files: a.csv, table: a}\n")
            #expect(named.jobs[0].target.url == "file:lake")
            let fallback = try fixture.parse("jobs:\n  - {name: a, files: a.csv, table: a}\n")
            #expect(fallback.jobs[0].target.url == "sqlite:sluice.sqlite")
        }
    }
}
