import MetricsTestKit
import Sluice
import SluiceSQLite
import Testing

/// A real load's swift-metrics equal its ``LoadResult``'s counts (collected with a task-local factory, so the test
/// does not depend on the process-wide bootstrap).
@Suite("SQLite load metrics")
struct SQLiteLoadMetricsTests {
    @Test func countersEqualTheLoadResult() async throws {
        try await SQLiteTestDatabase.withLoader { loader, _ in
            let metrics = TestMetrics()
            var results: [LoadResult] = []
            try await LoadMetricsEmitter.$taskFactory.withValue(metrics) {
                results.append(
                    try await loader.load(
                        try Fixtures.stream([
                            Fixtures.row("AAPL", "2024-01-02", "1.0000"), Fixtures.row("MSFT", "2024-01-02", "2.0000"),
                        ]),
                        request: Fixtures.request(.upsert)
                    )
                )
                results.append(
                    try await loader.load(
                        try Fixtures.stream([
                            Fixtures.row("AAPL", "2024-01-02", "1.5000"), Fixtures.row("MSFT", "2024-01-02", "2.0000"),
                            Fixtures.row("IBM", "2024-01-02", "3.0000"),
                        ]),
                        request: Fixtures.request(.upsert)
                    )
                )
            }
            let dimensions = [("target", loader.target), ("table", "prices")]
            func total(_ label: String, _ outcome: String? = nil) -> Int64 {
                metrics.counterTotal(label: label, dimensions: dimensions + (outcome.map { [("outcome", $0)] } ?? []))
            }
            func sum(_ count: (LoadingMetrics) -> Int) -> Int64 {
                Int64(results.map { count($0.metrics) }.reduce(0, +))
            }
            #expect(total(LoadMetricsEmitter.loads, "success") == 2)
            #expect(total(LoadMetricsEmitter.records, "inserted") == sum(\.recordsInserted))
            #expect(total(LoadMetricsEmitter.records, "updated") == sum(\.recordsUpdated))
            #expect(total(LoadMetricsEmitter.records, "skipped") == sum(\.recordsSkipped))
            #expect(total(LoadMetricsEmitter.records, "deleted") == sum(\.recordsDeleted))
            #expect(total(LoadMetricsEmitter.records, "failed") == sum(\.recordsFailed))
            #expect(sum(\.recordsInserted) == 3 && sum(\.recordsUpdated) == 1 && sum(\.recordsSkipped) == 1)
            #expect(total(LoadMetricsEmitter.retries) == sum(\.retries))
            let timer = try metrics.expectTimer(LoadMetricsEmitter.duration, dimensions)
            #expect(timer.values.count == 2)
        }
    }
}
