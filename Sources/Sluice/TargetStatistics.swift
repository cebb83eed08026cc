/// What `statistics` reports about a target: per table rows, bytes and per-version counts.
public struct TargetStatistics: Sendable, Codable {
    /// The target, with any password redacted.
    public var target: String
    /// One entry per table (or only the one asked for).
    public var tables: [TableStatistics]
    /// Target-wide figures (file size, page size, journal mode, …) as name → text.
    public var details: [String: String]

    /// Creates statistics.
    public init(target: String, tables: [TableStatistics], details: [String: String] = [:]) {
        self.target = target
        self.tables = tables
        self.details = details
    }
}

/// Statistics of one table.
public struct TableStatistics: Sendable, Codable {
    /// The table's name.
    public var name: String
    /// Rows in the table now.
    public var rowCount: Int
    /// Bytes the table and its indexes take, when the target can tell.
    public var bytes: Int64?
    /// The versions, oldest first, with what each did.
    public var versions: [VersionSummary]
    /// Target-specific figures as name → text.
    public var details: [String: String]

    /// Creates table statistics.
    public init(
        name: String,
        rowCount: Int,
        bytes: Int64?,
        versions: [VersionSummary],
        details: [String: String] = [:]
    ) {
        self.name = name
        self.rowCount = rowCount
        self.bytes = bytes
        self.versions = versions
        self.details = details
    }

    enum CodingKeys: String, CodingKey {
        case name
        case rowCount = "row_count"
        case bytes
        case versions
        case details
    }
}

/// One version's counts, as `statistics` lists them.
public struct VersionSummary: Sendable, Codable {
    public var id: String
    public var createdAt: Timestamp
    public var strategy: LoadingStrategy
    public var recordCount: Int
    public var inserted: Int
    public var updated: Int
    public var deleted: Int
    public var skipped: Int

    /// A summary of `version`.
    public init(_ version: DataVersion) {
        id = version.id
        createdAt = version.createdAt
        strategy = version.strategy
        recordCount = version.recordCount
        inserted = version.metrics.recordsInserted
        updated = version.metrics.recordsUpdated
        deleted = version.metrics.recordsDeleted
        skipped = version.metrics.recordsSkipped
    }

    enum CodingKeys: String, CodingKey {
        case id
        case createdAt = "created_at"
        case strategy
        case recordCount = "record_count"
        case inserted
        case updated
        case deleted
        case skipped
    }
}

/// What `optimize` did.
public struct OptimizationReport: Sendable, Codable {
    /// The target's (or table's) size before, in bytes, when known.
    public var bytesBefore: Int64?
    /// The size after, in bytes, when known.
    public var bytesAfter: Int64?
    /// The operations run (`VACUUM`, `ANALYZE`, …).
    public var operations: [String]
    /// Wall-clock seconds.
    public var durationSeconds: Double

    /// Creates a report.
    public init(bytesBefore: Int64?, bytesAfter: Int64?, operations: [String], durationSeconds: Double) {
        self.bytesBefore = bytesBefore
        self.bytesAfter = bytesAfter
        self.operations = operations
        self.durationSeconds = durationSeconds
    }

    enum CodingKeys: String, CodingKey {
        case bytesBefore = "bytes_before"
        case bytesAfter = "bytes_after"
        case operations
        case durationSeconds = "duration_seconds"
    }
}
