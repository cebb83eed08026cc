import Logging

extension ContinuousClock.Instant {
    /// Seconds elapsed since this instant, as a `Double` (for metrics).
    public var secondsElapsed: Double {
        let elapsed = ContinuousClock.now - self
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

extension LoadResult {
    /// The result of a load into `target` (the loader's URL, redacted) that started at `started`: `metrics` with the
    /// load's whole duration, logged at debug level with the table, version and counts, and emitted as swift-metrics
    /// by ``LoadMetricsEmitter`` — the last step every target takes.
    public static func completed(
        target: String,
        table: String,
        strategy: LoadingStrategy,
        version: DataVersion?,
        currentVersionID: String?,
        checksum: ContentChecksum,
        metrics: LoadingMetrics,
        started: ContinuousClock.Instant,
        logger: Logger,
        notes: [String] = []
    ) -> LoadResult {
        var metrics = metrics
        metrics.durationSeconds = started.secondsElapsed
        LoadMetricsEmitter(target: target, table: table).succeeded(metrics)
        logger.debug(
            "loaded",
            metadata: [
                "table": "\(table)", "version_id": "\(version?.id ?? currentVersionID ?? "")",
                "changed": "\(version != nil)", "strategy": "\(strategy.rawValue)",
                "inserted": "\(metrics.recordsInserted)", "updated": "\(metrics.recordsUpdated)",
                "deleted": "\(metrics.recordsDeleted)", "skipped": "\(metrics.recordsSkipped)",
            ]
        )
        return LoadResult(
            table: table,
            version: version,
            currentVersionID: currentVersionID,
            checksum: checksum.hex,
            metrics: metrics,
            notes: notes
        )
    }
}
