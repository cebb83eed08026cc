/// One recorded load: written in the same atomic step as the data it describes (DESIGN §4).
public struct DataVersion: Sendable, Hashable, Codable {
    /// A UUIDv7: versions sort by id in creation order.
    public var id: String
    /// The table the version belongs to.
    public var table: String
    /// When the load committed.
    public var createdAt: Timestamp
    /// The strategy of the load.
    public var strategy: LoadingStrategy
    /// Where the data came from: file paths, a URL or the caller's label.
    public var source: String
    /// Rows in the table after the load.
    public var recordCount: Int
    /// The schema's fingerprint (``Schema/fingerprint``).
    public var schemaVersion: String
    /// The schema itself, so a reader of the version knows the types.
    public var schema: Schema
    /// The content checksum of the whole table after the load (hex), recomputed by `verify`.
    public var checksum: String
    /// The content checksum of the load's input rows (after rejects), used to recognise a rerun.
    public var inputChecksum: String
    /// The version this one follows, if any.
    public var parentID: String?
    /// What the load did.
    public var metrics: LoadingMetrics
    /// Free metadata (for example the cursor watermark under `incremental`).
    public var metadata: [String: String]

    /// Creates a version record.
    public init(
        id: String = UUIDv7.make(),
        table: String,
        createdAt: Timestamp,
        strategy: LoadingStrategy,
        source: String,
        recordCount: Int,
        schema: Schema,
        checksum: ContentChecksum,
        inputChecksum: ContentChecksum,
        parentID: String?,
        metrics: LoadingMetrics,
        metadata: [String: String] = [:]
    ) {
        self.id = id
        self.table = table
        self.createdAt = createdAt
        self.strategy = strategy
        self.source = source
        self.recordCount = recordCount
        self.schemaVersion = schema.fingerprint
        self.schema = schema
        self.checksum = checksum.hex
        self.inputChecksum = inputChecksum.hex
        self.parentID = parentID
        self.metrics = metrics
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case id
        case table
        case createdAt = "created_at"
        case strategy
        case source
        case recordCount = "record_count"
        case schemaVersion = "schema_version"
        case schema
        case checksum
        case inputChecksum = "input_checksum"
        case parentID = "parent_id"
        case metrics
        case metadata
    }
}

/// The outcome of recomputing a table's checksum and comparing it with its latest version.
public struct Verification: Sendable, Hashable, Encodable {
    /// The table verified.
    public var table: String
    /// The latest version, if the table has one.
    public var versionID: String?
    /// The checksum the latest version recorded.
    public var expectedChecksum: String?
    /// The checksum recomputed from the target now.
    public var actualChecksum: String
    /// Rows the latest version recorded.
    public var expectedRecordCount: Int?
    /// Rows found now.
    public var actualRecordCount: Int
    /// What else was found wrong, one line each naming what it concerns (the file target: a file whose bytes or
    /// rows differ from its manifest entry, or that is missing).
    public var problems: [String]

    /// Creates a verification result.
    public init(
        table: String,
        versionID: String?,
        expectedChecksum: String?,
        actualChecksum: String,
        expectedRecordCount: Int?,
        actualRecordCount: Int,
        problems: [String] = []
    ) {
        self.table = table
        self.versionID = versionID
        self.expectedChecksum = expectedChecksum
        self.actualChecksum = actualChecksum
        self.expectedRecordCount = expectedRecordCount
        self.actualRecordCount = actualRecordCount
        self.problems = problems
    }

    /// Whether the table matches its latest version (checksum and row count) and nothing else was found wrong.
    public var isValid: Bool {
        versionID != nil && expectedChecksum == actualChecksum && expectedRecordCount == actualRecordCount
            && problems.isEmpty
    }

    enum CodingKeys: String, CodingKey {
        case table
        case versionID = "version_id"
        case expectedChecksum = "expected_checksum"
        case actualChecksum = "actual_checksum"
        case expectedRecordCount = "expected_record_count"
        case actualRecordCount = "actual_record_count"
        case problems
        case isValid = "valid"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(table, forKey: .table)
        try container.encode(versionID, forKey: .versionID)
        try container.encode(expectedChecksum, forKey: .expectedChecksum)
        try container.encode(actualChecksum, forKey: .actualChecksum)
        try container.encode(expectedRecordCount, forKey: .expectedRecordCount)
        try container.encode(actualRecordCount, forKey: .actualRecordCount)
        try container.encode(problems, forKey: .problems)
        try container.encode(isValid, forKey: .isValid)
    }
}

extension DataVersion {
    /// The version a load records, made now: the load's table, schema and strategy from `plan` and `request`, and
    /// the request's metadata with `metadata` over it (the cursor watermark, say).
    public init(
        recording plan: LoadPlan,
        request: LoadRequest,
        source: String,
        recordCount: Int,
        checksum: ContentChecksum,
        inputChecksum: ContentChecksum,
        parent: DataVersion?,
        metrics: LoadingMetrics,
        metadata: [String: String],
        id: String = UUIDv7.make()
    ) {
        self.init(
            id: id,
            table: plan.table,
            createdAt: .now,
            strategy: request.strategy,
            source: source,
            recordCount: recordCount,
            schema: plan.tableSchema,
            checksum: checksum,
            inputChecksum: inputChecksum,
            parentID: parent?.id,
            metrics: metrics,
            metadata: request.metadata.merging(metadata) { _, new in new }
        )
    }
}
