import CoreMetrics

/// Emits one load's counts as swift-metrics counters and a timer, labelled by target and table.
///
/// ``LoadResult/completed(target:table:strategy:version:currentVersionID:checksum:metrics:started:logger:)`` calls
/// ``succeeded(_:)`` for every load that completes, on every target; a caller that sees a load fail calls
/// ``failed()`` (the CLI does). Sluice never bootstraps a metrics backend: without one (`MetricsSystem.bootstrap`)
/// the metrics go nowhere.
///
/// | metric | type | labels |
/// |---|---|---|
/// | `sluice_loads_total` | counter | `target`, `table`, `outcome` (`success`, `failure`) |
/// | `sluice_records_total` | counter | `target`, `table`, `outcome` (`inserted`, `updated`, `deleted`, `skipped`, `failed`) |
/// | `sluice_bytes_read_total` | counter | `target`, `table` |
/// | `sluice_retries_total` | counter | `target`, `table` |
/// | `sluice_load_duration_seconds` | timer | `target`, `table` |
public struct LoadMetricsEmitter: Sendable {
    /// Loads by outcome.
    public static let loads = "sluice_loads_total"
    /// Records by outcome.
    public static let records = "sluice_records_total"
    /// Input bytes read.
    public static let bytesRead = "sluice_bytes_read_total"
    /// Transient failures retried.
    public static let retries = "sluice_retries_total"
    /// The whole load's duration (a swift-metrics `Timer`, recorded in nanoseconds).
    public static let duration = "sluice_load_duration_seconds"

    /// The `target` label: the target URL without user, password or query (``TargetURL/metricsLabel``).
    public var target: String
    /// The `table` label.
    public var table: String
    /// The factory the metrics are made by; `nil` means ``taskFactory``, else the bootstrapped one
    /// (`MetricsSystem.factory`).
    public var factory: (any MetricsFactory)?

    /// A factory for the loads the current task runs, in place of the bootstrapped one: bind it with
    /// `LoadMetricsEmitter.$taskFactory.withValue(factory) { … }` to collect some loads' metrics apart (tests do)
    /// without the process-wide `MetricsSystem.bootstrap`.
    @TaskLocal public static var taskFactory: (any MetricsFactory)?

    /// The factory metrics go to: ``factory``, else ``taskFactory``, else `MetricsSystem.factory`.
    public var resolvedFactory: any MetricsFactory { factory ?? Self.taskFactory ?? MetricsSystem.factory }

    /// An emitter for loads of `table` into `target`, a target URL (redacted or not: the label keeps no user,
    /// password or query; text that is not a target URL becomes `unknown`).
    public init(target: String, table: String, factory: (any MetricsFactory)? = nil) {
        self.target = (try? TargetURL(target))?.metricsLabel ?? "unknown"
        self.table = table
        self.factory = factory
    }

    /// The `target` and `table` dimensions, in that order.
    public var dimensions: [(String, String)] { [("target", target), ("table", table)] }

    /// Counts a completed load: one success, its records by outcome, bytes read, retries and its duration.
    public func succeeded(_ metrics: LoadingMetrics) {
        let factory = resolvedFactory
        count(Self.loads, 1, outcome: "success", factory: factory)
        let outcomes: [(String, Int)] = [
            ("inserted", metrics.recordsInserted), ("updated", metrics.recordsUpdated),
            ("deleted", metrics.recordsDeleted), ("skipped", metrics.recordsSkipped), ("failed", metrics.recordsFailed),
        ]
        for (outcome, records) in outcomes {
            count(Self.records, Int64(records), outcome: outcome, factory: factory)
        }
        count(Self.bytesRead, metrics.bytesRead, factory: factory)
        count(Self.retries, Int64(metrics.retries), factory: factory)
        let nanoseconds = (metrics.durationSeconds * 1e9).rounded()
        CoreMetrics.Timer(label: Self.duration, dimensions: dimensions, factory: factory)
            .recordNanoseconds(nanoseconds < Double(Int64.max) ? Int64(max(0, nanoseconds)) : Int64.max)
    }

    /// Counts a load that failed (nothing of it was committed).
    public func failed() {
        count(Self.loads, 1, outcome: "failure", factory: resolvedFactory)
    }

    /// Adds `value` to the counter `label` (made even for 0, so every series exists after the first load).
    private func count(_ label: String, _ value: Int64, outcome: String? = nil, factory: any MetricsFactory) {
        var dimensions = self.dimensions
        if let outcome { dimensions.append(("outcome", outcome)) }
        Counter(label: label, dimensions: dimensions, factory: factory).increment(by: max(0, value))
    }
}
