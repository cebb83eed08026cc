import Sluice

/// Exports a table from any target into another target's table — usually the file target, as Parquet or compressed
/// text — with the lineage (source, source version, selection) in the destination version's metadata.
///
/// A full export replaces the destination table with the selected rows. An export with
/// ``ExportRequest/sinceLast`` reads nothing when the source has no version newer than the last export to the same
/// destination table, and otherwise writes only the changes (`incremental` with deletions, on keyed tables), so that
/// a series of incremental exports leaves the destination equal to one full export.
///
/// Nothing is published that was not checked: the destination's load of a whole-table export expects its input to
/// sum to the source version's checksum (``Sluice/LoadRequest/expectedInput``, checked as its input ends, before it
/// commits), so a source that changed while it was read, or a source read that fails, leaves the destination as it
/// was. The destination's checksum is then checked against the rows read.
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
        // A whole-table export is checked against the source version by the destination's own load: its input must
        // sum to the version's checksum before it commits (LoadRequest.expectedInput), so every row is digested once.
        // A selection is digested here, to compare with what the destination then holds.
        let whole = request.selection == nil && !lineage.sourceChecksum.isEmpty
        if whole {
            load.expectedInput = ExpectedInput(
                checksum: lineage.sourceChecksum,
                origin: "source version \(lineage.sourceVersionID) of table '\(table)'"
            )
        }
        let read = RowsRead(schema: stream.schema, digests: !whole)
        let rows = try stream.selecting(request.selection, table: table)
            .transformed { batch in
                read.add(batch)
                return batch
            }
        let result = try await destination.load(rows, request: load)
        let expected = whole ? lineage.sourceChecksum : read.checksum.hex
        if result.checksum != expected {
            throw SluiceError(
                .targetFailure,
                "export of table '\(table)': the destination table '\(destinationTable)' has checksum "
                    + "\(result.checksum) after the load, but the rows read sum to \(expected)"
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
