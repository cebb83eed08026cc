import Sluice

/// The lineage an export records in its destination version's metadata (`export.*`), and reads back from the
/// destination's versions to decide what `--since-last` has to do.
struct ExportLineage: Sendable, Hashable {
    static let sourceKey = "export.source"
    static let tableKey = "export.source_table"
    static let versionKey = "export.source_version"
    static let checksumKey = "export.source_checksum"
    static let selectionKey = "export.selection"
    static let rowsKey = "export.rows"

    /// The source target, password redacted.
    var source: String
    var table: String
    var selection: String
    /// The source version the export reads (`nil` for a table without versions).
    var version: DataVersion?

    /// The source version's id ("" for none).
    var sourceVersionID: String { version?.id ?? "" }
    /// The source version's checksum ("" for none).
    var sourceChecksum: String { version?.checksum ?? "" }

    var metadata: [String: String] {
        [
            Self.sourceKey: source, Self.tableKey: table, Self.selectionKey: selection,
            Self.versionKey: sourceVersionID, Self.checksumKey: sourceChecksum,
        ]
    }

    /// Whether `version` records an export of the same source table and selection.
    func isSameExport(as version: DataVersion) -> Bool {
        version.metadata[Self.sourceKey] == source && version.metadata[Self.tableKey] == table
            && version.metadata[Self.selectionKey] == selection
    }
}
