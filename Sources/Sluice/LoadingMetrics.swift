/// What one load did, counted (DESIGN §3).
public struct LoadingMetrics: Sendable, Hashable, Codable {
    /// Records read from the input (including rejected ones).
    public var recordsProcessed = 0
    /// Records inserted into the target.
    public var recordsInserted = 0
    /// Existing records changed.
    public var recordsUpdated = 0
    /// Records removed from the target (replace, incremental with deletion of vanished keys).
    public var recordsDeleted = 0
    /// Records not written: unchanged, superseded by a later duplicate, new keys under update-only, conflicts
    /// under `--on-conflict skip`, rows at or below the cursor watermark.
    public var recordsSkipped = 0
    /// Records that could not be loaded (rejected by parsing or validation).
    public var recordsFailed = 0
    /// Validation and parse rejections (a record can fail more than one rule but counts once here).
    public var validationErrors = 0
    /// Bytes read from the input (compressed size for compressed files), when known.
    public var bytesRead: Int64 = 0
    /// Wall-clock seconds from the first read to the commit.
    public var durationSeconds: Double = 0
    /// Transient failures retried.
    public var retries = 0

    /// Creates empty metrics.
    public init() {}

    /// Records per second over the whole load.
    public var throughput: Double { durationSeconds > 0 ? Double(recordsProcessed) / durationSeconds : 0 }

    /// Valid records over all records (1 for an empty load).
    public var dataQualityScore: Double {
        recordsProcessed == 0 ? 1 : Double(recordsProcessed - validationErrors) / Double(recordsProcessed)
    }

    /// Records that did not fail over all records (1 for an empty load).
    public var successRate: Double {
        recordsProcessed == 0 ? 1 : Double(recordsProcessed - recordsFailed) / Double(recordsProcessed)
    }

    /// Whether the load changed the target.
    public var changedTarget: Bool { recordsInserted + recordsUpdated + recordsDeleted > 0 }

    enum CodingKeys: String, CodingKey {
        case recordsProcessed = "records_processed"
        case recordsInserted = "records_inserted"
        case recordsUpdated = "records_updated"
        case recordsDeleted = "records_deleted"
        case recordsSkipped = "records_skipped"
        case recordsFailed = "records_failed"
        case validationErrors = "validation_errors"
        case bytesRead = "bytes_read"
        case durationSeconds = "duration_seconds"
        case retries
    }
}
