import Sluice
import SluiceFiles
import Synchronization

extension ArchiveRun {
    /// Deletes the archived rows (the tally, by content) from the source table in one load: the table's other rows go
    /// back in unchanged (`incremental` with deletions on a keyed table, `replace` on a keyless one), and the load
    /// expects the latest version it read first, so rows loaded meanwhile are never lost. Returns the version that
    /// deleted them, or `nil` when there was nothing to delete.
    ///
    /// - Throws: ``Sluice/SluiceError`` when some archived rows are no longer in the table as archived; nothing is
    ///   deleted then.
    func delete(_ tally: DigestTally, archived: DataVersion) async throws -> DataVersion? {
        guard tally.count > 0 else { return nil }
        let latest = try await source.versions(table: table).last
        if let direct = try await deleteDirectly(tally, archived: archived, latest: latest) { return direct }
        let rows = try await source.read(table: table)
        let remaining = Remaining(tally)
        let digester = RowDigester(schema: rows.schema)
        let archivedRows = tally.count
        let kept = rows.transformed { batch in
            var buffer: [UInt8] = []
            let digests = (0..<batch.count).map { digester.digest(row: $0, of: batch, buffer: &buffer) }
            let keep = remaining.removing(digests)
            guard keep.contains(false) else { return batch }
            let left = batch.filtered(keep)
            return left.count > 0 ? left : nil
        } atEnd: { [table, archiveTable] in
            let missing = remaining.count
            guard missing == 0 else {
                throw SluiceError(
                    .versionConflict,
                    "archive of table '\(table)': \(missing) of the \(archivedRows) rows in version \(archived.id) of "
                        + "'\(archiveTable)' are no longer in the table as archived (changed or deleted since); "
                        + "nothing was deleted"
                )
            }
        }
        let keyed = !rows.schema.keyColumns.isEmpty
        var load = LoadRequest(
            table: table,
            strategy: keyed ? .incremental : .replace,
            keyColumns: rows.schema.keyColumns,
            deleteMissing: keyed
        )
        load.expectedLatestVersionID = latest?.id ?? ""
        // The archive holds the deleted rows and a restore brings them back: no before-images of them as well.
        load.recordsHistory = false
        load.source = "archive of table \(table) to \(archive.target)"
        load.metadata = deletionMetadata(archived, rows: archivedRows)
        let result = try await source.load(kept, request: load)
        guard let version = result.version, version.recordCount == (latest?.recordCount ?? 0) - archivedRows else {
            throw SluiceError(
                .targetFailure,
                "archive of table '\(table)': deleting the \(archivedRows) archived rows left "
                    + "\(result.version?.recordCount ?? latest?.recordCount ?? 0) rows of \(latest?.recordCount ?? 0)"
            )
        }
        return version
    }
}

extension ArchiveRun {
    /// On a target that deletes a window directly (the SQL targets): one `DELETE` of the archived window, committed
    /// only if its rows are exactly the archived ones. `nil` when that does not apply — another target, a pending
    /// run of another window, or rows that arrived in the window since — and the delete by content runs instead.
    func deleteDirectly(_ tally: DigestTally, archived: DataVersion, latest: DataVersion?) async throws -> DataVersion?
    {
        guard let direct = source as? any SelectionDeleting, let latest,
            archived.metadata[ArchiveLineage.selectionKey] == request.selection.description
        else { return nil }
        do {
            return try await direct.deleteRows(
                of: table,
                in: request.selection,
                expectedCount: tally.count,
                expectedChecksum: tally.checksum,
                expectedLatestVersionID: latest.id,
                metadata: deletionMetadata(archived, rows: tally.count),
                source: "archive of table \(table) to \(archive.target)"
            ).version
        } catch let error as SluiceError where error.code == .versionConflict {
            return nil
        }
    }

    /// What the deleting version records: the run, the archive and its version, the rows.
    func deletionMetadata(_ archived: DataVersion, rows: Int) -> [String: String] {
        [
            ArchiveLineage.idKey: archived.metadata[ArchiveLineage.idKey] ?? "",
            ArchiveLineage.destinationKey: archive.target,
            ArchiveLineage.archiveVersionKey: archived.id,
            ArchiveLineage.rowsKey: String(rows),
        ]
    }
}

/// The archived rows not yet met in the source, shared with the stream that leaves them out.
final class Remaining: Sendable {
    private let tally: Mutex<DigestTally>

    init(_ tally: DigestTally) {
        self.tally = Mutex(tally)
    }

    /// Removes the rows it holds among `digests`; `false` marks a row removed (to leave out).
    func removing(_ digests: [ContentChecksum]) -> [Bool] {
        tally.withLock { tally in digests.map { !tally.remove($0) } }
    }

    var count: Int { tally.withLock { $0.count } }
}
