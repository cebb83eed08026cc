import GRDB
import Sluice

extension SQLiteLoader: SelectionDeleting {
    /// Digests the rows of the window, then deletes them, in one `BEGIN IMMEDIATE` transaction that commits only
    /// when they are the expected ones.
    public func deleteRows(
        of table: String,
        in selection: RowSelection,
        expectedCount: Int,
        expectedChecksum: ContentChecksum,
        expectedLatestVersionID: String,
        metadata: [String: String],
        source: String
    ) async throws -> LoadResult {
        let started = ContinuousClock.now
        let version = try await writingWithoutTransaction { db -> DataVersion in
            var version: DataVersion?
            try db.inTransaction(.immediate) {
                let reach = try HistoryReach(db: db, table: table)
                let latest = reach.versions[reach.versions.count - 1]
                try LoadRequest.check(latest, expected: expectedLatestVersionID, table: table)
                let schema = reach.history.schema
                let column = try selection.columnIndex(in: schema, table: table)
                let predicate = Self.predicate(selection, column: schema.columns[column])
                let digester = RowDigester(schema: schema)
                var sum = ContentChecksum.zero
                var count = 0
                try SQLiteRowReader.forEachBatch(
                    db,
                    sql: "SELECT \(SQLiteSyntax.list(schema.columnNames)) FROM main.\(SQLiteSyntax.quote(table)) "
                        + "WHERE \(predicate)",
                    schema: schema,
                    table: table
                ) { batch in
                    sum.add(digester.checksum(of: batch))
                    count += batch.count
                }
                guard count == expectedCount, sum == expectedChecksum else {
                    throw Self.rowsDiffer(table: table, selection: selection, found: count, expected: expectedCount)
                }
                try db.execute(sql: "DELETE FROM main.\(SQLiteSyntax.quote(table)) WHERE \(predicate)")
                let recorded = Self.deletionVersion(
                    of: table,
                    parent: latest,
                    deleted: count,
                    checksum: sum,
                    metadata: metadata,
                    source: source
                )
                try SQLiteCatalog.insert(db, version: recorded)
                version = recorded
                return .commit
            }
            guard let version else { throw SluiceError(.targetFailure, "table '\(table)': the delete did not run") }
            return version
        }
        return LoadResult.completed(
            target: target,
            table: table,
            strategy: .incremental,
            version: version,
            currentVersionID: version.id,
            checksum: ContentChecksum(hex: version.checksum) ?? .zero,
            metrics: version.metrics,
            started: started,
            logger: logger
        )
    }

    /// The window as SQL (dates and timestamps are stored as canonical text, whose first ten characters are the
    /// day); the days are literals Sluice formats.
    static func predicate(_ selection: RowSelection, column: Sluice.Column) -> String {
        let reference = SQLiteSyntax.quote(column.name)
        let day = column.type == .timestamp ? "substr(\(reference), 1, 10)" : reference
        var bounds: [String] = []
        if let from = selection.from { bounds.append("\(day) >= '\(from)'") }
        if let before = selection.before { bounds.append("\(day) < '\(before)'") }
        return bounds.isEmpty ? "1" : bounds.joined(separator: " AND ")
    }
}
