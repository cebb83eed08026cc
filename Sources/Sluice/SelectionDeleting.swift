/// Targets that delete the rows of a window of days directly, in one step that checks them first: what an archive's
/// delete step uses on the SQL targets instead of reading the table and loading back the rows it keeps.
public protocol SelectionDeleting: Loader {
    /// Deletes the rows of `table` in `selection`, in one transaction that records a version (strategy `incremental`,
    /// `metadata`, `source`) — only if they are exactly `expectedCount` rows with checksum `expectedChecksum`, and the
    /// table's latest version is `expectedLatestVersionID` (empty: none). Otherwise nothing changes.
    ///
    /// - Throws: ``SluiceError`` (``SluiceError/Code/versionConflict``) naming the table when the rows or the latest
    ///   version differ.
    func deleteRows(
        of table: String,
        in selection: RowSelection,
        expectedCount: Int,
        expectedChecksum: ContentChecksum,
        expectedLatestVersionID: String,
        metadata: [String: String],
        source: String
    ) async throws -> LoadResult
}

extension SelectionDeleting {
    /// The version a selective delete records on top of `parent`.
    public static func deletionVersion(
        of table: String,
        parent: DataVersion,
        deleted count: Int,
        checksum deleted: ContentChecksum,
        metadata: [String: String],
        source: String
    ) -> DataVersion {
        var metrics = LoadingMetrics()
        metrics.recordsDeleted = count
        let checksum = (ContentChecksum(hex: parent.checksum) ?? .zero) - deleted
        return DataVersion(
            table: table,
            createdAt: .now,
            strategy: .incremental,
            source: source,
            recordCount: parent.recordCount - count,
            schema: parent.schema,
            checksum: checksum,
            inputChecksum: .zero,
            parentID: parent.id,
            metrics: metrics,
            metadata: metadata
        )
    }

    /// The error when the rows in the window are not the ones expected.
    public static func rowsDiffer(
        table: String,
        selection: RowSelection,
        found: Int,
        expected: Int
    ) -> SluiceError {
        SluiceError(
            .versionConflict,
            "table '\(table)': the rows where \(selection) are not the \(expected) expected (found \(found), or other "
                + "values); nothing was deleted"
        )
    }
}
