import Logging
import PostgresNIO
import Sluice

extension PostgresLoader: SelectionDeleting {
    /// `DELETE … WHERE <window> RETURNING` the rows, digested as they come back; committed only when they are the
    /// expected ones. The table's load lock is held throughout.
    public func deleteRows(
        of table: String,
        in selection: RowSelection,
        expectedCount: Int,
        expectedChecksum: ContentChecksum,
        expectedLatestVersionID: String,
        metadata: [String: String],
        source: String
    ) async throws -> LoadResult {
        try PostgresIdentifier.check(table: table)
        let started = ContinuousClock.now
        let logger = self.logger
        let version = try await withConnection { connection in
            try await PostgresHistoryTransaction(connection: connection, table: table, logger: logger).run { reach in
                let latest = reach.versions[reach.versions.count - 1]
                try LoadRequest.check(latest, expected: expectedLatestVersionID, table: table)
                let schema = reach.history.schema
                let column = try selection.columnIndex(in: schema, table: table)
                let deleted = try await PostgresRowReader.checksums(
                    connection,
                    sql: "DELETE FROM \(PostgresSyntax.quote(table)) AS t WHERE "
                        + Self.predicate(selection, column: schema.columns[column])
                        + " RETURNING \(PostgresSyntax.readList(schema.columns, prefix: "t"))",
                    schema: schema,
                    images: 1,
                    table: table,
                    logger: logger
                )
                guard deleted.rowCount == expectedCount, deleted.checksums[0] == expectedChecksum else {
                    throw Self.rowsDiffer(
                        table: table,
                        selection: selection,
                        found: deleted.rowCount,
                        expected: expectedCount
                    )
                }
                let version = Self.deletionVersion(
                    of: table,
                    parent: latest,
                    deleted: deleted.rowCount,
                    checksum: deleted.checksums[0],
                    metadata: metadata,
                    source: source
                )
                try await PostgresCatalog.insert(connection, version: version, logger: logger)
                return (version, commit: true)
            }
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

    /// The window as SQL on `t` (a timestamp by its UTC day); the days are literals Sluice formats.
    static func predicate(_ selection: RowSelection, column: Column) -> String {
        let reference = "t." + PostgresSyntax.quote(column.name)
        let day = column.type == .timestamp ? "(\(reference) AT TIME ZONE 'UTC')::date" : reference
        var bounds: [String] = []
        if let from = selection.from { bounds.append("\(day) >= DATE '\(from)'") }
        if let before = selection.before { bounds.append("\(day) < DATE '\(before)'") }
        return bounds.isEmpty ? "TRUE" : bounds.joined(separator: " AND ")
    }
}
