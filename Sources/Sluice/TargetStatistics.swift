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
    /// The table's indexes with their sizes and use, when the target reports them.
    public var indexes: [IndexStatistics]?
    /// How many partitions the table has, when it is partitioned.
    public var partitions: Int?
    /// Plain-language index advice: unused indexes, and scans that look like they miss one.
    public var advice: [IndexAdvice]?

    /// Creates table statistics.
    public init(
        name: String,
        rowCount: Int,
        bytes: Int64?,
        versions: [VersionSummary],
        details: [String: String] = [:],
        indexes: [IndexStatistics]? = nil,
        partitions: Int? = nil,
        advice: [IndexAdvice]? = nil
    ) {
        self.name = name
        self.rowCount = rowCount
        self.bytes = bytes
        self.versions = versions
        self.details = details
        self.indexes = indexes
        self.partitions = partitions
        self.advice = advice
    }

    enum CodingKeys: String, CodingKey {
        case name
        case rowCount = "row_count"
        case bytes
        case versions
        case details
        case indexes
        case partitions
        case advice
    }
}

/// One index of a table, as `statistics` reports it.
public struct IndexStatistics: Sendable, Codable, Hashable {
    /// The index's name.
    public var name: String
    /// Its columns (or expressions), in index order.
    public var columns: [String]
    /// Bytes it takes (summed over partitions), when known.
    public var bytes: Int64?
    /// Index scans since the statistics were last reset (summed over partitions), when known.
    public var scans: Int?
    /// Whether it is the primary key's index.
    public var isPrimaryKey: Bool
    /// Whether it enforces uniqueness.
    public var isUnique: Bool

    /// Creates index statistics.
    public init(
        name: String,
        columns: [String],
        bytes: Int64?,
        scans: Int?,
        isPrimaryKey: Bool = false,
        isUnique: Bool = false
    ) {
        self.name = name
        self.columns = columns
        self.bytes = bytes
        self.scans = scans
        self.isPrimaryKey = isPrimaryKey
        self.isUnique = isUnique
    }

    enum CodingKeys: String, CodingKey {
        case name
        case columns
        case bytes
        case scans
        case isPrimaryKey = "primary_key"
        case isUnique = "unique"
    }
}

/// One piece of index advice: an index nothing uses, or a table read by sequential scans that an index would help.
public struct IndexAdvice: Sendable, Codable, Hashable {
    /// What kind of advice this is.
    public enum Kind: String, Sendable, Codable, Hashable {
        /// An index with no scans since the statistics were reset (not the primary key): it costs writes and space.
        case unused
        /// Many sequential scans of a large table and few index scans: an index looks missing.
        case missing
    }

    /// What kind of advice this is.
    public var kind: Kind
    /// The index concerned (``Kind/unused``), if any.
    public var index: String?
    /// The columns concerned: the unused index's, or the ones suggested for a new index.
    public var columns: [String]
    /// The advice in one plain sentence.
    public var message: String

    /// Creates advice.
    public init(kind: Kind, index: String? = nil, columns: [String], message: String) {
        self.kind = kind
        self.index = index
        self.columns = columns
        self.message = message
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
