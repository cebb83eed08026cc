import CoreMetrics
import Synchronization

/// The CLI's swift-metrics backend: every counter, meter, recorder and timer kept in memory, so that the command
/// can write them out when it ends (``PrometheusText``, ``MetricsJSON``).
///
/// Metrics with the same label and dimensions (in any order) share one series: two `Counter`s made alike add up.
/// Destroying a metric keeps its series, since the point is the totals at exit.
final class MetricsRegistry: MetricsFactory {
    private let series = Mutex<[MetricKey: any MetricSeries]>([:])

    init() {}

    /// Every series, sorted by name and then by labels.
    func snapshot() -> [MetricSample] {
        series.withLock { $0.map { key, series in MetricSample(key: key, value: series.value) } }
            .sorted { ($0.name, $0.labels.description) < ($1.name, $1.labels.description) }
    }

    /// The series for `label` and `dimensions`, made with `make` the first time.
    private func series<Series: MetricSeries>(
        _ label: String,
        _ dimensions: [(String, String)],
        make: () -> Series
    ) -> Series {
        let key = MetricKey(name: label, dimensions: dimensions)
        return series.withLock { all in
            if let existing = all[key] as? Series { return existing }
            let made = make()
            all[key] = made
            return made
        }
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        series(label, dimensions) { CounterSeries() }
    }

    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        series(label, dimensions) { CounterSeries() }
    }

    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        series(label, dimensions) { GaugeSeries() }
    }

    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        aggregate
            ? series(label, dimensions) { SummarySeries(scale: 1) } as any RecorderHandler
            : series(label, dimensions) { GaugeSeries() } as any RecorderHandler
    }

    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        series(label, dimensions) { SummarySeries(scale: 1e-9) }
    }

    func destroyCounter(_ handler: any CounterHandler) {}
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {}
    func destroyMeter(_ handler: any MeterHandler) {}
    func destroyRecorder(_ handler: any RecorderHandler) {}
    func destroyTimer(_ handler: any TimerHandler) {}
}

/// A metric's name and its dimensions, sorted by dimension name (so the order they were given in does not matter).
struct MetricKey: Hashable, Sendable {
    var name: String
    var labels: [Label]

    struct Label: Hashable, Sendable, CustomStringConvertible {
        var name: String
        var value: String
        var description: String { name + "=" + value }
    }

    init(name: String, dimensions: [(String, String)]) {
        self.name = name
        self.labels = dimensions.map { Label(name: $0.0, value: $0.1) }.sorted { $0.name < $1.name }
    }
}

/// One series' value at a moment.
enum MetricValue: Sendable, Equatable {
    /// A running total.
    case counter(Double)
    /// A value that goes up and down (the last one set).
    case gauge(Double)
    /// How many values were recorded and their sum (timers in seconds).
    case summary(count: Int64, sum: Double)
}

/// One series: its name, labels and value.
struct MetricSample: Sendable, Equatable {
    var name: String
    var labels: [MetricKey.Label]
    var value: MetricValue

    init(name: String, labels: [(String, String)], value: MetricValue) {
        self.init(key: MetricKey(name: name, dimensions: labels), value: value)
    }

    init(key: MetricKey, value: MetricValue) {
        self.name = key.name
        self.labels = key.labels
        self.value = value
    }
}

/// A series kept by ``MetricsRegistry``.
protocol MetricSeries: AnyObject, Sendable {
    var value: MetricValue { get }
}

/// A counter (integer or floating-point increments add up; `reset` sets it to 0).
final class CounterSeries: MetricSeries, CounterHandler, FloatingPointCounterHandler {
    private let total = Mutex<Double>(0)
    var value: MetricValue { .counter(total.withLock { $0 }) }
    func increment(by amount: Int64) { total.withLock { $0 += Double(amount) } }
    func increment(by amount: Double) { total.withLock { $0 += amount } }
    func reset() { total.withLock { $0 = 0 } }
}

/// A meter, or a recorder that does not aggregate: the last value set.
final class GaugeSeries: MetricSeries, MeterHandler, RecorderHandler {
    private let current = Mutex<Double>(0)
    var value: MetricValue { .gauge(current.withLock { $0 }) }
    func set(_ value: Int64) { current.withLock { $0 = Double(value) } }
    func set(_ value: Double) { current.withLock { $0 = value } }
    func increment(by amount: Double) { current.withLock { $0 += amount } }
    func decrement(by amount: Double) { current.withLock { $0 -= amount } }
    func record(_ value: Int64) { set(value) }
    func record(_ value: Double) { set(value) }
}

/// A timer or an aggregating recorder: the count and sum of recorded values, times `scale` (1e-9 turns a timer's
/// nanoseconds into seconds).
final class SummarySeries: MetricSeries, RecorderHandler, TimerHandler {
    private let scale: Double
    private let totals = Mutex<(count: Int64, sum: Double)>((0, 0))

    init(scale: Double) { self.scale = scale }

    var value: MetricValue { totals.withLock { .summary(count: $0.count, sum: $0.sum) } }
    func record(_ value: Int64) { record(Double(value)) }
    func record(_ value: Double) { totals.withLock { $0 = ($0.count + 1, $0.sum + value * scale) } }
    func recordNanoseconds(_ duration: Int64) { record(Double(duration)) }
}
