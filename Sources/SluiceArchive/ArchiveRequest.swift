import Sluice

/// What to archive: the rows of a table in a window of days (usually everything before a cutoff).
public struct ArchiveRequest: Sendable {
    /// The source table.
    public var table: String
    /// The rows to archive; its ``Sluice/RowSelection/before`` is the cutoff.
    public var selection: RowSelection
    /// The archive table (by default the source table's name).
    public var archiveTable: String?
    /// Called after each step has become durable (tests stop a run there, as a crash would).
    public var afterStep: (@Sendable (ArchiveStep) async throws -> Void)?

    /// Creates a request.
    public init(
        table: String,
        selection: RowSelection,
        archiveTable: String? = nil,
        afterStep: (@Sendable (ArchiveStep) async throws -> Void)? = nil
    ) {
        self.table = table
        self.selection = selection
        self.archiveTable = archiveTable
        self.afterStep = afterStep
    }
}

/// What an archive run did.
public struct ArchiveResult: Sendable, Encodable {
    /// The source table.
    public var table: String
    /// The archive target (password redacted) and table.
    public var archive: String
    /// See ``archive``.
    public var archiveTable: String
    /// The selection, as text.
    public var selection: String
    /// One entry per archive version this run finished: a pending one from an earlier run, then this run's own.
    public var batches: [ArchivedBatch]

    /// Rows moved to the archive by this run, over all batches.
    public var rows: Int { batches.reduce(0) { $0 + $1.rows } }
}

/// One set of rows moved from the source to the archive.
public struct ArchivedBatch: Sendable, Encodable {
    /// The archive run's id (`archive.id` in both versions' metadata).
    public var id: String
    /// Rows moved.
    public var rows: Int
    /// Their content checksum.
    public var checksum: String
    /// The archive table's version holding them.
    public var archiveVersionID: String
    /// The source version that deleted them (`nil` when there was nothing left to delete).
    public var sourceVersionID: String?
    /// Whether an earlier, interrupted run had written them (this run verified and deleted them).
    public var resumed: Bool
}
