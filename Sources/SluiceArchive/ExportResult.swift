import Sluice

/// What an export did: the lineage it recorded and the destination version.
public struct ExportResult: Sendable, Encodable {
    /// How the destination was written.
    public enum Mode: String, Sendable, Encodable {
        /// Every selected row was written (`replace`).
        case full
        /// Only changes since the last export were written (`incremental` with deletions).
        case incremental
        /// The source had no version newer than the last export: nothing was read or written.
        case upToDate = "up-to-date"
    }

    /// The source table.
    public var table: String
    /// The source target (password redacted).
    public var source: String
    /// The destination target (password redacted).
    public var destination: String
    /// The destination table.
    public var destinationTable: String
    /// How the destination was written.
    public var mode: Mode
    /// The source's latest version when the export read it (`nil` for a table without versions).
    public var sourceVersionID: String?
    /// The selection, as text (`all rows` when none).
    public var selection: String
    /// Rows selected from the source (the destination table's row count afterwards).
    public var rows: Int
    /// The content checksum of the selected rows, which the destination table's checksum equals.
    public var checksum: String
    /// The destination version recorded, or `nil` when nothing changed.
    public var version: DataVersion?
    /// Rows inserted, updated and deleted in the destination.
    public var inserted: Int
    /// See ``inserted``.
    public var updated: Int
    /// See ``inserted``.
    public var deleted: Int
}

extension ExportResult {
    /// The result of an export that found the destination already holding the source's latest version (`last`).
    init(upToDate last: DataVersion, lineage: ExportLineage, destination: String, table: String) {
        self.init(
            table: lineage.table,
            source: lineage.source,
            destination: destination,
            destinationTable: table,
            mode: .upToDate,
            sourceVersionID: lineage.version?.id,
            selection: lineage.selection,
            rows: last.recordCount,
            checksum: last.checksum,
            version: nil,
            inserted: 0,
            updated: 0,
            deleted: 0
        )
    }
}
