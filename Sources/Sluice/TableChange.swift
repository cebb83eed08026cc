/// What a strategy did to a table, as a target's writer reports it: the counts, the checksum delta and the
/// metadata the version records. Every target builds its version from one of these.
public struct TableChange: Sendable {
    /// Rows inserted.
    public var inserted = 0
    /// Rows updated.
    public var updated = 0
    /// Rows deleted.
    public var deleted = 0
    /// Rows not written (unchanged, superseded, skipped by the strategy).
    public var skipped = 0
    /// The digests of rows written minus the digests of rows removed or overwritten.
    public var delta = ContentChecksum.zero
    /// The table's new checksum when a strategy knows it outright (replace without a key).
    public var absolute: ContentChecksum?
    /// Metadata the version records (the cursor watermark).
    public var metadata: [String: String] = [:]
    /// Whether the load must be undone and counted as all skipped (an append rerun).
    public var isRerun = false

    /// No change yet.
    public init(skipped: Int = 0) {
        self.skipped = skipped
    }

    /// Whether rows were written.
    public var changedRows: Bool { inserted + updated + deleted > 0 }

    /// This change, or — for a rerun — nothing written and every valid input row (`valid`) skipped.
    public func settled(validRows valid: Int) -> TableChange {
        isRerun ? TableChange(skipped: valid) : self
    }
}

extension LoadingMetrics {
    /// These input metrics with the change's counts and the load's retries.
    public func recording(_ change: TableChange, retries: Int) -> LoadingMetrics {
        var metrics = self
        metrics.recordsInserted = change.inserted
        metrics.recordsUpdated = change.updated
        metrics.recordsDeleted = change.deleted
        metrics.recordsSkipped = change.skipped
        metrics.retries = retries
        return metrics
    }
}

extension LoadPlan {
    /// Whether a load with this plan and `change` changed the target (and so records a version): rows were
    /// written, or the table was created or widened; never for a rerun.
    public func isChanged(by change: TableChange) -> Bool {
        !change.isRerun && (change.changedRows || createsTable || !addedColumns.isEmpty)
    }
}
