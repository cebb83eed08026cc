import Sluice

/// Exports a table from any target into another target's table — usually the file target, as Parquet or compressed
/// text — with the lineage (source, source version, selection) in the destination version's metadata.
///
/// A full export replaces the destination table with the selected rows. An export with
/// ``ExportRequest/sinceLast`` reads nothing when the source has no version newer than the last export to the same
/// destination table, and otherwise writes only the changes (`incremental` with deletions, on keyed tables), so that
/// a series of incremental exports leaves the destination equal to one full export.
///
/// Nothing is published that was not checked: the rows of a whole-table export are digested as they pass and, at
/// the end of the source's stream — before the destination's load can commit — their sum must be the source
/// version's checksum (which names the version in the lineage); a source read that fails, that check included,
/// fails the destination's load, which then leaves the destination as it was. The destination's checksum is then
/// checked against the rows read.
public enum Exporter {
    /// Runs one export from `source` to `destination`.
    ///
    /// - Throws: ``Sluice/SluiceError`` naming the table: a missing table or column, a failed load, or a destination
    ///   whose checksum does not match what was read.
    public static func export(
        _ request: ExportRequest,
        from source: any Loader,
        to destination: any Loader
    ) async throws -> ExportResult {
        let table = request.table
        guard let schema = try await source.schema(of: table) else {
            throw SluiceError(.notFound, "table '\(table)' does not exist in \(source.target)")
        }
        if let selection = request.selection { _ = try selection.columnIndex(in: schema, table: table) }
        let destinationTable = request.destinationTable ?? table
        var lineage = ExportLineage(
            source: source.target,
            table: table,
            selection: request.selection?.description ?? "all rows",
            version: try await source.versions(table: table).last
        )
        let last = request.sinceLast ? try await lastExport(lineage, in: destination, table: destinationTable) : nil
        if let last, !lineage.sourceVersionID.isEmpty,
            last.metadata[ExportLineage.versionKey] == lineage.sourceVersionID
        {
            return ExportResult(
                upToDate: last,
                lineage: lineage,
                destination: destination.target,
                table: destinationTable
            )
        }
        // Open the read first, then name the version it reads: a Redis source holds the table's lock from here to
        // the end of its rows (a running load is waited for), a database reads one snapshot. Should a load have
        // committed in between, the check at the end of the rows fails the export before anything is published.
        let stream = try await source.read(table: table)
        lineage.version = try await source.versions(table: table).last
        let incremental = last != nil && !stream.schema.keyColumns.isEmpty
        var load = LoadRequest(
            table: destinationTable,
            strategy: incremental ? .incremental : .replace,
            keyColumns: stream.schema.keyColumns,
            deleteMissing: incremental
        )
        load.source = "\(source.target) table \(table)"
        load.metadata = request.metadata.merging(lineage.metadata) { _, lineage in lineage }
        let read = RowsRead(schema: stream.schema)
        let expected = request.selection == nil ? lineage.sourceChecksum : ""
        let version = lineage.sourceVersionID
        // The rows are checked against the source version before the stream ends, so that a source that changed
        // fails the destination's load, which then publishes nothing.
        let rows = try stream.selecting(request.selection, table: table)
            .transformed { batch in
                read.add(batch)
                return batch
            } atEnd: {
                try read.check(expected, version: version, table: table)
            }
        let result = try await destination.load(rows, request: load)
        if result.checksum != read.checksum.hex {
            throw SluiceError(
                .targetFailure,
                "export of table '\(table)': the destination table '\(destinationTable)' has checksum "
                    + "\(result.checksum) after the load, but the rows read sum to \(read.checksum.hex)"
            )
        }
        return ExportResult(
            table: table,
            source: source.target,
            destination: destination.target,
            destinationTable: destinationTable,
            mode: incremental ? .incremental : .full,
            sourceVersionID: lineage.version?.id,
            selection: lineage.selection,
            rows: read.count,
            checksum: result.checksum,
            version: result.version,
            inserted: result.metrics.recordsInserted,
            updated: result.metrics.recordsUpdated,
            deleted: result.metrics.recordsDeleted
        )
    }

    /// The destination table's latest version, when it records an export of the same source table and selection.
    static func lastExport(
        _ lineage: ExportLineage,
        in destination: any Loader,
        table: String
    ) async throws -> DataVersion? {
        guard let latest = try await destination.versions(table: table).last, lineage.isSameExport(as: latest) else {
            return nil
        }
        return latest
    }
}
