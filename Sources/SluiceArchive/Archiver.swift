import Sluice
import SluiceFiles

/// Moves rows older than a cutoff from a table into a file target table, verified, crash-safe and idempotent; and
/// brings them back (``restore(_:from:into:)``).
///
/// A run goes through three durable steps (``ArchiveStep``): it appends the selected rows to the archive table as
/// one version, reads that version's files back and checks their rows' count and checksum against the rows
/// selected, and only then deletes exactly those rows (by content) from the source in one load that records a
/// version. Both versions carry the run's `archive.id`. A run killed anywhere leaves either nothing, or an archive
/// version without a deleting source version, which the next run verifies and finishes before it selects anything
/// new; rows are never deleted before they are verified, and never archived twice.
public enum Archiver {
    /// Archives the rows `request` selects from `source` into `archive`, first finishing any run an interruption left.
    ///
    /// - Throws: ``Sluice/SluiceError`` naming the table: a missing table or column, a failed write, a read-back that
    ///   does not match (nothing is deleted then), or source rows that changed since they were archived.
    public static func archive(
        _ request: ArchiveRequest,
        from source: any Loader,
        to archive: FileLoader
    ) async throws -> ArchiveResult {
        let table = request.table
        guard let schema = try await source.schema(of: table) else {
            throw SluiceError(.notFound, "table '\(table)' does not exist in \(source.target)")
        }
        _ = try request.selection.columnIndex(in: schema, table: table)
        let run = ArchiveRun(request: request, source: source, archive: archive, schema: schema)
        var result = ArchiveResult(
            table: table,
            archive: archive.target,
            archiveTable: run.archiveTable,
            selection: request.selection.description,
            batches: []
        )
        let pending = ArchiveLineage.pending(
            archiveVersions: try await archive.versions(table: run.archiveTable),
            sourceVersions: try await source.versions(table: table),
            source: source.target,
            sourceTable: table
        )
        for version in pending {
            result.batches.append(try await run.finish(version, resumed: true))
        }
        if let version = try await run.write() {
            result.batches.append(try await run.finish(version, resumed: false))
        }
        return result
    }
}

/// One archive run's steps, for one source table and its archive table.
struct ArchiveRun: Sendable {
    let request: ArchiveRequest
    let source: any Loader
    let archive: FileLoader
    let schema: Schema

    var table: String { request.table }
    var archiveTable: String { request.archiveTable ?? request.table }

    /// Appends the selected rows to the archive table as one version; `nil` when none is selected.
    func write() async throws -> DataVersion? {
        let latest = try await source.versions(table: table).last
        let keyless = Schema(columns: schema.columns)
        var load = LoadRequest(table: archiveTable, strategy: .append, force: true)
        if schema.column(named: request.selection.column)?.type == .date {
            load.partitioning = Partitioning(column: request.selection.column, granularity: .month)
        }
        load.source = "\(source.target) table \(table)"
        load.metadata = [
            ArchiveLineage.idKey: UUIDv7.make(),
            ArchiveLineage.sourceKey: source.target,
            ArchiveLineage.tableKey: table,
            ArchiveLineage.selectionKey: request.selection.description,
            ArchiveLineage.sourceVersionKey: latest?.id ?? "",
            ArchiveLineage.keyColumnsKey: schema.keyColumns.joined(separator: ","),
        ]
        let rows = try await source.read(table: table).selecting(request.selection, table: table)
            .transformed(schema: keyless) { batch in batch.relabelled(keyless) }
        let result = try await archive.load(rows, request: load)
        guard let version = result.version, version.metrics.recordsInserted > 0 else { return nil }
        try await request.afterStep?(.written)
        return version
    }

    /// Verifies an archive version and deletes its rows from the source.
    func finish(_ version: DataVersion, resumed: Bool) async throws -> ArchivedBatch {
        let tally = try await verify(version)
        try await request.afterStep?(.verified)
        let deleting = try await delete(tally, archived: version)
        try await request.afterStep?(.deleted)
        return ArchivedBatch(
            id: version.metadata[ArchiveLineage.idKey] ?? "",
            rows: tally.count,
            checksum: tally.checksum.hex,
            archiveVersionID: version.id,
            sourceVersionID: deleting?.id,
            resumed: resumed
        )
    }

    /// Reads back the files `version` wrote; their rows must be the ones it recorded (count and checksum).
    func verify(_ version: DataVersion) async throws -> DigestTally {
        let tally = try await DigestTally.of(archive.readBack(table: archiveTable, writtenBy: version.id))
        guard tally.count == version.metrics.recordsInserted, tally.checksum.hex == version.inputChecksum else {
            throw SluiceError(
                .targetFailure,
                "archive of table '\(table)': version \(version.id) of '\(archiveTable)' in \(archive.target) reads "
                    + "back as \(tally.count) rows with checksum \(tally.checksum.hex), but recorded "
                    + "\(version.metrics.recordsInserted) rows with checksum \(version.inputChecksum); nothing was "
                    + "deleted from the source"
            )
        }
        return tally
    }
}
