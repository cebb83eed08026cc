import Sluice
import Synchronization

/// Exports a table from any target into another target's table — usually the file target, as Parquet or compressed
/// text — with the lineage (source, source version, selection) in the destination version's metadata.
///
/// A full export replaces the destination table with the selected rows. An export with
/// ``ExportRequest/sinceLast`` reads nothing when the source has no version newer than the last export to the same
/// destination table, and otherwise writes only the changes (`incremental` with deletions, on keyed tables), so that
/// a series of incremental exports leaves the destination equal to one full export. The destination's checksum is
/// then checked against the rows read: the source version's checksum for a whole table, the selected rows' checksum
/// otherwise.
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
        let latest = try await source.versions(table: table).last
        let lineage = ExportLineage(
            source: source.target,
            table: table,
            selection: request.selection?.description ?? "all rows",
            sourceVersionID: latest?.id ?? "",
            sourceChecksum: latest?.checksum ?? ""
        )
        let destinationTable = request.destinationTable ?? table
        let last = request.sinceLast ? try await lastExport(lineage, in: destination, table: destinationTable) : nil
        if let last, latest != nil, last.metadata[ExportLineage.versionKey] == lineage.sourceVersionID {
            return ExportResult(
                table: table,
                source: source.target,
                destination: destination.target,
                destinationTable: destinationTable,
                mode: .upToDate,
                sourceVersionID: latest?.id,
                selection: lineage.selection,
                rows: last.recordCount,
                checksum: last.checksum,
                version: nil,
                inserted: 0,
                updated: 0,
                deleted: 0
            )
        }
        let incremental = last != nil && !schema.keyColumns.isEmpty
        var load = LoadRequest(
            table: destinationTable,
            strategy: incremental ? .incremental : .replace,
            keyColumns: schema.keyColumns,
            deleteMissing: incremental
        )
        load.source = "\(source.target) table \(table)"
        load.metadata = request.metadata.merging(lineage.metadata) { _, lineage in lineage }
        let read = RowsRead(schema: schema, digests: request.selection != nil)
        let rows = try await source.read(table: table).selecting(request.selection, table: table)
            .transformed { batch in
                read.add(batch)
                return batch
            }
        let result = try await destination.load(rows, request: load)
        let expected = request.selection == nil ? lineage.sourceChecksum : read.checksum.hex
        if !expected.isEmpty, result.checksum != expected {
            let now = try await source.versions(table: table).last
            // A whole-table export that raced a load of the source read a later state; the next export catches up.
            if request.selection != nil || now?.id == latest?.id {
                throw SluiceError(
                    .targetFailure,
                    "export of table '\(table)': the destination table '\(destinationTable)' has checksum "
                        + "\(result.checksum), the rows read have \(expected)"
                )
            }
        }
        return ExportResult(
            table: table,
            source: source.target,
            destination: destination.target,
            destinationTable: destinationTable,
            mode: incremental ? .incremental : .full,
            sourceVersionID: latest?.id,
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

/// Rows counted (and, for a selection, digested) as they pass from the source to the destination.
final class RowsRead: Sendable {
    private let digester: RowDigester?
    private let state = Mutex((count: 0, checksum: ContentChecksum.zero))

    init(schema: Schema, digests: Bool) {
        digester = digests ? RowDigester(schema: schema) : nil
    }

    func add(_ batch: RecordBatch) {
        let sum = digester?.checksum(of: batch) ?? .zero
        state.withLock { state in
            state.count += batch.count
            state.checksum.add(sum)
        }
    }

    var count: Int { state.withLock { $0.count } }
    var checksum: ContentChecksum { state.withLock { $0.checksum } }
}
