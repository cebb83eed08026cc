import CoreMetrics
import Logging
import MetricsTestKit
import Sluice
import Testing

/// Every completed load emits its counts as swift-metrics, labelled by target and table, with no secret in a label.
@Suite("Load metrics")
struct LoadMetricsEmitterTests {
    static func counter(
        _ metrics: TestMetrics,
        _ label: String,
        target: String = "postgres://db:5432/market",
        outcome: String? = nil
    ) -> Int64 {
        var dimensions = [("target", target), ("table", "prices")]
        if let outcome { dimensions.append(("outcome", outcome)) }
        return metrics.counterTotal(label: label, dimensions: dimensions)
    }

    @Test func aCompletedLoadsCountersEqualItsResult() throws {
        let metrics = TestMetrics()
        var counts = LoadingMetrics()
        counts.recordsProcessed = 21
        counts.recordsInserted = 7
        counts.recordsUpdated = 5
        counts.recordsDeleted = 3
        counts.recordsSkipped = 2
        counts.recordsFailed = 4
        counts.bytesRead = 12_345
        counts.retries = 1
        let result = LoadMetricsEmitter.$taskFactory.withValue(metrics) {
            LoadResult.completed(
                target: "postgres://etl:***@db:5432/market?sslmode=require",
                table: "prices",
                strategy: .upsert,
                version: nil,
                currentVersionID: nil,
                checksum: .zero,
                metrics: counts,
                started: .now,
                logger: Logger(label: "test")
            )
        }
        let loaded = result.metrics
        #expect(Self.counter(metrics, LoadMetricsEmitter.loads, outcome: "success") == 1)
        #expect(Self.counter(metrics, LoadMetricsEmitter.loads, outcome: "failure") == 0)
        let expected: [(String, Int)] = [
            ("inserted", loaded.recordsInserted), ("updated", loaded.recordsUpdated),
            ("deleted", loaded.recordsDeleted), ("skipped", loaded.recordsSkipped), ("failed", loaded.recordsFailed),
        ]
        for (outcome, records) in expected {
            #expect(Self.counter(metrics, LoadMetricsEmitter.records, outcome: outcome) == Int64(records), "\(outcome)")
        }
        #expect(Self.counter(metrics, LoadMetricsEmitter.bytesRead) == loaded.bytesRead)
        #expect(Self.counter(metrics, LoadMetricsEmitter.retries) == Int64(loaded.retries))
        let timer = try metrics.expectTimer(
            LoadMetricsEmitter.duration,
            [("target", "postgres://db:5432/market"), ("table", "prices")]
        )
        #expect(timer.values.count == 1)
        #expect(Double(timer.values[0]) / 1e9 == (loaded.durationSeconds * 1e9).rounded() / 1e9)
    }

    @Test func aFailureCountsOnce() {
        let metrics = TestMetrics()
        LoadMetricsEmitter(target: "sqlite:prices.sqlite", table: "prices", factory: metrics).failed()
        #expect(
            Self.counter(metrics, LoadMetricsEmitter.loads, target: "sqlite:prices.sqlite", outcome: "failure") == 1
        )
        #expect(metrics.counters(label: LoadMetricsEmitter.records).isEmpty)
    }

    @Test func everyLabelValueIsFreeOfSecrets() throws {
        let metrics = TestMetrics()
        LoadMetricsEmitter(
            target: "postgres://etl:hunter2-secret@db:5432/market?password=hunter2-secret",
            table: "prices",
            factory: metrics
        ).succeeded(LoadingMetrics())
        #expect(!metrics.counters.isEmpty)
        for counter in metrics.counters {
            #expect(!counter.dimensions.contains { $0.1.contains("hunter2") || $0.1.contains("etl") })
        }
    }

    @Test(
        arguments: [
            ("postgres://etl:pw@db:5432/market?sslmode=require", "postgres://db:5432/market"),
            ("postgresql://etl@db/market", "postgres://db/market"),
            ("redis://:secret@cache:6379/0", "redis://cache:6379/0"),
            ("rediss://user:p%40ss@cache:6380", "rediss://cache:6380"),
            ("sqlite:prices.sqlite", "sqlite:prices.sqlite"),
            ("file:lake?format=parquet", "file:lake"),
        ]
    )
    func theTargetLabelKeepsNoUserPasswordOrQuery(url: String, label: String) throws {
        #expect(try TargetURL(url).metricsLabel == label)
    }
}
