/// Everything a load needs besides its records: the table, the strategy and its options.
public struct LoadRequest: Sendable {
    /// The table to load into.
    public var table: String
    /// How records combine with what the table holds.
    public var strategy: LoadingStrategy
    /// The natural key. Empty means: use the existing table's key (required by keyed strategies).
    public var keyColumns: [String]
    /// Under ``LoadingStrategy/incremental``: load only rows whose cursor is past the last load's watermark.
    /// Without a cursor, incremental compares row contents.
    public var cursorColumn: String?
    /// Under ``LoadingStrategy/insertOnly``: what to do with keys that already exist.
    public var onConflict: ConflictPolicy
    /// Under ``LoadingStrategy/incremental``: delete keys the input no longer has.
    public var deleteMissing: Bool
    /// Load even when the same input was already loaded (an `append` rerun is otherwise a no-op).
    public var force: Bool
    /// Secondary indexes the load makes sure exist after the data, each a list of columns in index order
    /// (`[["symbol"], ["date", "symbol"]]`). Targets create them with `CREATE INDEX IF NOT EXISTS` in the load's
    /// transaction under a name derived from the table and the columns, so a rerun adds nothing.
    public var indexes: [[String]]
    /// Split the table by time (``Partitioning``). Only targets that partition accept it; it applies when the load
    /// creates the table, and a table already partitioned keeps its partitioning.
    public var partitioning: Partitioning?
    /// Validators, the reject file and the error threshold.
    public var validation: ValidationPolicy
    /// The source recorded in the version (file paths, a URL or a label). Defaults to the stream's source.
    public var source: String?
    /// Free metadata recorded in the version.
    public var metadata: [String: String]
    /// How transient target failures are retried.
    public var retry: RetryPolicy
    /// Called from time to time with the progress of the load.
    public var progress: (@Sendable (LoadProgress) -> Void)?
    /// Optimistic concurrency: when set, the load fails with ``SluiceError/Code/versionConflict`` and changes nothing
    /// unless the table's latest version, read under the load's lock, is this one (the empty string: the table has
    /// no version yet). Archiving uses it so that rows loaded between its read and its delete are never lost.
    public var expectedLatestVersionID: String?
    /// Record what the load changes (before-images of updated and deleted rows, inserted keys) so that it can be
    /// diffed and rolled back (``VersionHistory``), on the targets that keep history that way (the SQL targets; the
    /// file target keeps every retained version's files anyway). On by default.
    public var recordsHistory = true
    /// When set, the load fails before it commits, changing nothing, unless its valid input rows sum to this
    /// checksum (``BatchPreparer/checkInputEnded()``): an export's proof that it copied exactly one source version.
    public var expectedInput: ExpectedInput?

    /// Creates a request.
    public init(
        table: String,
        strategy: LoadingStrategy = .append,
        keyColumns: [String] = [],
        cursorColumn: String? = nil,
        onConflict: ConflictPolicy = .fail,
        deleteMissing: Bool = false,
        force: Bool = false,
        indexes: [[String]] = [],
        partitioning: Partitioning? = nil,
        validation: ValidationPolicy = ValidationPolicy(),
        source: String? = nil,
        metadata: [String: String] = [:],
        retry: RetryPolicy = RetryPolicy(),
        progress: (@Sendable (LoadProgress) -> Void)? = nil
    ) {
        self.table = table
        self.strategy = strategy
        self.keyColumns = keyColumns
        self.cursorColumn = cursorColumn
        self.onConflict = onConflict
        self.deleteMissing = deleteMissing
        self.force = force
        self.indexes = indexes
        self.partitioning = partitioning
        self.validation = validation
        self.source = source
        self.metadata = metadata
        self.retry = retry
        self.progress = progress
    }
}

extension LoadRequest {
    /// Checks ``indexes`` against the table's columns: each index names at least one column, every column exists,
    /// and no column appears twice in one index.
    ///
    /// - Throws: ``SluiceError`` (``SluiceError/Code/invalidRequest``) naming the table, the index and the column.
    public func checkIndexes(against schema: Schema) throws {
        for columns in indexes {
            let described = "index (\(columns.joined(separator: ", ")))"
            guard !columns.isEmpty else {
                throw SluiceError(.invalidRequest, "table '\(table)': an index needs at least one column")
            }
            var seen: Set<String> = []
            for column in columns {
                guard schema.column(named: column) != nil else {
                    throw SluiceError(
                        .invalidRequest,
                        "table '\(table)': \(described): no column '\(column)' "
                            + "(columns: \(schema.columnNames.joined(separator: ", ")))"
                    )
                }
                guard seen.insert(column).inserted else {
                    throw SluiceError(.invalidRequest, "table '\(table)': \(described) names '\(column)' twice")
                }
            }
        }
    }
}

/// How far a load has come.
public struct LoadProgress: Sendable {
    /// Records read so far.
    public var recordsProcessed: Int
    /// Input bytes read so far (compressed bytes for compressed files), when known.
    public var bytesRead: Int64
    /// Input bytes in all, when known.
    public var bytesTotal: Int64?

    /// Creates a progress report.
    public init(recordsProcessed: Int, bytesRead: Int64, bytesTotal: Int64?) {
        self.recordsProcessed = recordsProcessed
        self.bytesRead = bytesRead
        self.bytesTotal = bytesTotal
    }
}

/// What a load did: the metrics and the version it recorded.
public struct LoadResult: Sendable {
    /// The table loaded.
    public var table: String
    /// The version this load recorded, or `nil` when it changed nothing (a rerun, all rows unchanged).
    public var version: DataVersion?
    /// The table's latest version after the load (the new one, or the existing one when nothing changed).
    public var currentVersionID: String?
    /// The table's content checksum after the load.
    public var checksum: String
    /// The counts and timings.
    public var metrics: LoadingMetrics
    /// What the load did beyond its rows, one sentence each: a repair of what an unfinished load left, say. Empty
    /// for most loads; the CLI prints each in its summary.
    public var notes: [String]

    /// Creates a result.
    public init(
        table: String,
        version: DataVersion?,
        currentVersionID: String?,
        checksum: String,
        metrics: LoadingMetrics,
        notes: [String] = []
    ) {
        self.table = table
        self.version = version
        self.currentVersionID = currentVersionID
        self.checksum = checksum
        self.metrics = metrics
        self.notes = notes
    }
}
