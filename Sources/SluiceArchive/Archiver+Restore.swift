import Sluice
import SluiceFiles
import Synchronization

/// What a restore did.
public struct RestoreResult: Sendable, Encodable {
    /// The archive target (password redacted) and table read.
    public var archive: String
    /// See ``archive``.
    public var archiveTable: String
    /// The target (password redacted) and table restored into.
    public var target: String
    /// See ``target``.
    public var table: String
    /// Rows read from the archive.
    public var rows: Int
    /// Their content checksum.
    public var checksum: String
    /// The target version the restore recorded (`nil` when every row was already there).
    public var version: DataVersion?
    /// Rows inserted and updated in the target.
    public var inserted: Int
    /// See ``inserted``.
    public var updated: Int
}

extension Archiver {
    /// Loads the rows of an archive table (those in `selection`, or all) back into a target table — `upsert` on the
    /// table's key (or the key the archived table had), `append` for a keyless table — then checks that the target
    /// verifies and holds every restored row.
    ///
    /// - Throws: ``Sluice/SluiceError`` naming the tables: a missing archive, a failed load, or a target that does not
    ///   verify or lacks restored rows afterwards.
    public static func restore(
        _ archiveTable: String,
        from archive: FileLoader,
        into target: any Loader,
        table: String? = nil,
        selection: RowSelection? = nil
    ) async throws -> RestoreResult {
        let table = table ?? archiveTable
        let versions = try await archive.versions(table: archiveTable)
        guard !versions.isEmpty else {
            throw SluiceError(.notFound, "table '\(archiveTable)' does not exist in \(archive.target)")
        }
        let archivedKey =
            versions.last { $0.metadata[ArchiveLineage.keyColumnsKey] != nil }
            .map { $0.metadata[ArchiveLineage.keyColumnsKey]!.split(separator: ",").map(String.init) } ?? []
        let key = try await target.schema(of: table)?.keyColumns ?? archivedKey
        let rows = try await archive.read(table: archiveTable).selecting(selection, table: archiveTable)
        let schema = rows.schema.withKey(key)
        let read = RestoredRows(schema: schema)
        let restored = rows.transformed(schema: schema) { batch in
            let relabelled = batch.relabelled(schema)
            read.add(relabelled)
            return relabelled
        }
        var load = LoadRequest(table: table, strategy: key.isEmpty ? .append : .upsert, keyColumns: key)
        load.source = "\(archive.target) table \(archiveTable)"
        load.metadata = [
            "restore.from": archive.target, "restore.archive_table": archiveTable,
            "restore.selection": selection?.description ?? "all rows",
        ]
        let result = try await target.load(restored, request: load)
        try await check(read.tally, restoredInto: target, table: table)
        return RestoreResult(
            archive: archive.target,
            archiveTable: archiveTable,
            target: target.target,
            table: table,
            rows: read.tally.count,
            checksum: read.tally.checksum.hex,
            version: result.version,
            inserted: result.metrics.recordsInserted,
            updated: result.metrics.recordsUpdated
        )
    }

    /// The target must verify, and hold every restored row.
    static func check(_ restored: DigestTally, restoredInto target: any Loader, table: String) async throws {
        let verification = try await target.verify(table: table)
        guard verification.isValid else {
            throw SluiceError(
                .targetFailure,
                "restore into table '\(table)': the table does not verify after the restore: "
                    + (verification.problems.first ?? "checksum \(verification.actualChecksum)")
            )
        }
        let remaining = Remaining(restored)
        let rows = try await target.read(table: table)
        let digester = RowDigester(schema: rows.schema)
        for try await batch in rows {
            var buffer: [UInt8] = []
            _ = remaining.removing((0..<batch.count).map { digester.digest(row: $0, of: batch, buffer: &buffer) })
        }
        guard remaining.count == 0 else {
            throw SluiceError(
                .targetFailure,
                "restore into table '\(table)': \(remaining.count) of the \(restored.count) restored rows are not in "
                    + "the table afterwards"
            )
        }
    }
}

/// The rows a restore read, tallied on their way to the target.
final class RestoredRows: Sendable {
    private let digester: RowDigester
    private let state = Mutex(DigestTally())

    init(schema: Schema) {
        digester = RowDigester(schema: schema)
    }

    func add(_ batch: RecordBatch) {
        var buffer: [UInt8] = []
        let digests = (0..<batch.count).map { digester.digest(row: $0, of: batch, buffer: &buffer) }
        state.withLock { tally in for digest in digests { tally.add(digest) } }
    }

    var tally: DigestTally { state.withLock { $0 } }
}
