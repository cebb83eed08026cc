import Sluice

/// A `kind: export` job: a table copied to another target (usually `file:DIR`) with its lineage — what
/// `sluice export` does.
public struct ExportJob: Sendable {
    /// The table to export.
    public var table: String
    /// The destination (its URL carries `format` and `compression`).
    public var destination: PipelineTarget
    /// The destination table (`as:`; default the same name).
    public var destinationTable: String?
    /// Write only what changed since the last export to this destination (`since_last:`).
    public var sinceLast = false
    /// A window of days (`where:`), if any.
    public var window: DayWindow?

    /// An export of `table` to `destination`.
    public init(table: String, destination: PipelineTarget) {
        self.table = table
        self.destination = destination
    }
}

/// A window of days, both ends included, on a date or timestamp column.
public struct DayWindow: Sendable, Hashable {
    /// The first day, if bounded.
    public var from: CivilDate?
    /// The last day, if bounded.
    public var to: CivilDate?
    /// The column (default: the only date column of the key, else of the table).
    public var column: String?

    /// A window.
    public init(from: CivilDate?, to: CivilDate?, column: String?) {
        self.from = from
        self.to = to
        self.column = column
    }
}

/// A `kind: archive` job: rows older than a cutoff moved to a file target, verified, then deleted from the
/// source — what `sluice archive` does.
public struct ArchiveJob: Sendable {
    /// The table.
    public var table: String
    /// Archive rows older than this many days (`older_than:`), or …
    public var olderThanDays: Int?
    /// … rows before this day (`before:`).
    public var before: CivilDate?
    /// The date or timestamp column (`date_column:`).
    public var column: String?
    /// The archive, a file target (its URL carries `format` and `compression`).
    public var archive: PipelineTarget
    /// The archive table (`as:`).
    public var archiveTable: String?

    /// An archive of `table` into `archive`.
    public init(table: String, archive: PipelineTarget) {
        self.table = table
        self.archive = archive
    }
}

/// A `kind: retain` job: a file target table's old versions removed (or archived) — what `sluice retain` does.
public struct RetainJob: Sendable {
    /// The table.
    public var table: String
    /// Keep at least the newest N versions.
    public var keepVersions: Int?
    /// Keep every version younger than D days.
    public var keepDays: Int?
    /// Move superseded files here instead of deleting them.
    public var archiveTo: String?

    /// A retention run on `table`.
    public init(table: String) {
        self.table = table
    }
}

/// A `kind: verify` job: the table's checksum recomputed and compared with its latest version.
public struct VerifyJob: Sendable {
    /// The table.
    public var table: String

    /// A verification of `table`.
    public init(table: String) {
        self.table = table
    }
}

extension DayWindow {
    /// The selection of rows of `table` (with `schema`) in the window: ``column``, else the table's only date
    /// column.
    ///
    /// - Throws: ``Sluice/SluiceError`` when no column is given and the table has none or several.
    public func selection(schema: Schema, table: String) throws -> RowSelection {
        RowSelection(
            column: try column ?? RowSelection.defaultColumn(in: schema, table: table),
            from: from,
            before: to?.adding(days: 1)
        )
    }
}
