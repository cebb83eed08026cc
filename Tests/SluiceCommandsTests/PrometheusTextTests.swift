import CoreMetrics
import Foundation
import Testing

@testable import SluiceCommands

/// The CLI's in-process metrics backend and its two file formats.
@Suite("Metrics registry and Prometheus text")
struct PrometheusTextTests {
    @Test func countersWithTheSameLabelsAddUpWhateverTheirOrder() {
        let registry = MetricsRegistry()
        Counter(
            label: "sluice_records_total",
            dimensions: [("table", "p"), ("outcome", "inserted")],
            factory: registry
        )
        .increment(by: 3)
        Counter(
            label: "sluice_records_total",
            dimensions: [("outcome", "inserted"), ("table", "p")],
            factory: registry
        )
        .increment(by: 4)
        Counter(label: "sluice_records_total", dimensions: [("outcome", "updated"), ("table", "p")], factory: registry)
            .increment(by: 1)
        #expect(
            PrometheusText.render(registry.snapshot()) == """
                # TYPE sluice_records_total counter
                sluice_records_total{outcome="inserted",table="p"} 7
                sluice_records_total{outcome="updated",table="p"} 1

                """
        )
    }

    @Test func labelValuesAreEscapedAndNamesSanitised() {
        let sample = MetricSample(
            name: "sluice.loads-total",
            labels: [("table", #"a\b"c"# + "\nd"), ("bad-name", "x")],
            value: .counter(1)
        )
        #expect(
            PrometheusText.render([sample]) == """
                # TYPE sluice_loads_total counter
                sluice_loads_total{bad_name="x",table="a\\\\b\\"c\\nd"} 1

                """
        )
        #expect(PrometheusText.metricName("9lives") == "_lives")
        #expect(PrometheusText.metricName("a:b") == "a:b")
        #expect(PrometheusText.labelName("a:b") == "a_b")
    }

    @Test func timersAreSummariesInSeconds() {
        let registry = MetricsRegistry()
        let timer = CoreMetrics.Timer(label: "sluice_load_duration_seconds", dimensions: [], factory: registry)
        timer.recordNanoseconds(1_500_000_000)
        timer.recordNanoseconds(500_000_000)
        Gauge(label: "g", factory: registry).record(2.5)
        #expect(
            PrometheusText.render(registry.snapshot()) == """
                # TYPE g gauge
                g 2.5
                # TYPE sluice_load_duration_seconds summary
                sluice_load_duration_seconds_sum 2
                sluice_load_duration_seconds_count 2

                """
        )
    }

    @Test func specialValuesAreSpelledAsTheFormatWants() {
        #expect(PrometheusText.number(.infinity) == "+Inf")
        #expect(PrometheusText.number(-.infinity) == "-Inf")
        #expect(PrometheusText.number(.nan) == "NaN")
        #expect(PrometheusText.number(0.25) == "0.25")
        #expect(PrometheusText.number(12) == "12")
    }

    @Test func jsonHasOneObjectPerSeries() throws {
        let registry = MetricsRegistry()
        Counter(label: "c", dimensions: [("table", "p\"q")], factory: registry).increment(by: 2)
        CoreMetrics.Timer(label: "t", factory: registry).recordNanoseconds(250_000_000)
        let text = MetricsJSON.render(registry.snapshot())
        let root = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let metrics = try #require(root["metrics"] as? [[String: Any]])
        #expect(metrics.count == 2)
        #expect(metrics[0]["name"] as? String == "c")
        #expect(metrics[0]["type"] as? String == "counter")
        #expect((metrics[0]["labels"] as? [String: String])?["table"] == "p\"q")
        #expect(metrics[0]["value"] as? Double == 2)
        #expect(metrics[1]["type"] as? String == "summary")
        #expect(metrics[1]["count"] as? Int == 1)
        #expect(metrics[1]["sum"] as? Double == 0.25)
    }
}
