import Sluice

/// The metadata that ties an archive run's two versions together: the archive table's version that holds the rows
/// (`archive.id`, the source, the selection, the source's key) and the source version that deleted them
/// (`archive.id`, `archive.to`, `archive.version`). A run whose archive version has no deleting source version is
/// pending: the next run verifies and finishes it before selecting anything new.
enum ArchiveLineage {
    static let idKey = "archive.id"
    static let sourceKey = "archive.source"
    static let tableKey = "archive.source_table"
    static let selectionKey = "archive.selection"
    static let sourceVersionKey = "archive.source_version"
    static let keyColumnsKey = "archive.key"
    static let destinationKey = "archive.to"
    static let archiveVersionKey = "archive.version"
    static let rowsKey = "archive.rows"

    /// Archive versions of `sourceTable` from `source` that no source version finished (oldest first).
    static func pending(
        archiveVersions: [DataVersion],
        sourceVersions: [DataVersion],
        source: String,
        sourceTable: String
    ) -> [DataVersion] {
        let finished = Set(sourceVersions.inEffect().compactMap { $0.metadata[idKey] })
        return archiveVersions.filter { version in
            guard let id = version.metadata[idKey] else { return false }
            return version.metadata[tableKey] == sourceTable && version.metadata[sourceKey] == source
                && !finished.contains(id)
        }
    }
}
