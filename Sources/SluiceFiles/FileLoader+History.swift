import Foundation
import Sluice

/// Diff and rollback on the file target: a version's manifest lists every file of the table at that version, so
/// going back is publishing a new manifest that lists an earlier version's files (no data is copied), and a diff
/// reads only the files the two versions do not share.
extension FileLoader: VersionHistory {
    /// The metadata key naming the version a rollback went back to.
    static let rollbackKey = DataVersion.rollbackKey

    /// Compares versions `from` and `to` of `table` (either order) by reading the files they do not share.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`notFound`) naming a version the table does not have, or whose files
    ///   retention has removed.
    public func diff(table: String, from: String, to: String, samples: Int) async throws -> VersionDiff {
        let folder = try folder(table)
        let store = ManifestStore(folder: folder)
        let ids = folder.versionIDs()
        let older = try manifest(from, ids: ids, store: store)
        let newer = try manifest(to, ids: ids, store: store)
        try symlinks.check(partitionsOf: older.files + newer.files, in: folder)
        let comparison = ManifestDiff(folder: folder, from: older, to: newer, sampleLimit: max(0, samples))
        for (side, manifest) in [(from, older), (to, newer)] {
            let missing = comparison.unsharedFiles(of: manifest).filter(isMissing(in: folder))
            guard missing.isEmpty else {
                let oldest = try oldestIntact(ids: ids, store: store, folder: folder)
                throw SluiceError(
                    .notFound,
                    "table '\(table)': version \(side)'s files are no longer kept (\(missing.count) missing, "
                        + "removed by retention?); \(oldest)"
                )
            }
        }
        return try await Self.onWriterThread { try comparison.run() }
    }

    /// Makes `table` hold exactly what version `versionID` held: publishes a new version (strategy `replace`,
    /// metadata `rollback.to`) whose manifest lists that version's files, with its checksum, schema and
    /// partitioning. Its counts are by file: the rows of the files it brings back (inserted) and of the files it
    /// stops listing (deleted). Rolling back to the latest version, or to one whose files and schema the latest
    /// has already (a rollback run twice), records nothing.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`notFound`) when the version is unknown or retention removed any of its
    ///   files, naming the oldest version whose files are all kept; the table is left as it was.
    public func rollback(table: String, to versionID: String) async throws -> LoadResult {
        let started = ContinuousClock.now
        let folder = try folder(table)
        guard folder.exists else { throw SluiceError(.notFound, "table '\(table)' does not exist in \(target)") }
        let lock = try await TableLock.acquire(in: folder.sluiceFolder, table: table)
        defer { withExtendedLifetime(lock) {} }
        let store = ManifestStore(folder: folder)
        let ids = folder.versionIDs()
        let earlier = try manifest(versionID, ids: ids, store: store)
        guard let latest = try store.latest() else {
            throw SluiceError(.notFound, "table '\(table)' does not exist in \(target)")
        }
        let checksum = ContentChecksum(hex: earlier.version.checksum) ?? .zero
        guard latest.version.id != versionID, !Self.holdsAlready(latest, earlier) else {
            return LoadResult(
                table: table,
                version: nil,
                currentVersionID: latest.version.id,
                checksum: checksum.hex,
                metrics: LoadingMetrics()
            )
        }
        try symlinks.check(partitionsOf: earlier.files, in: folder)
        let missing = earlier.files.filter(isMissing(in: folder))
        guard missing.isEmpty else {
            let oldest = try oldestIntact(ids: ids, store: store, folder: folder)
            throw SluiceError(
                .notFound,
                "table '\(table)': cannot roll back to version \(versionID): \(missing.count) of its "
                    + "\(earlier.files.count) files are no longer kept (removed by retention?); \(oldest)"
            )
        }
        var version = Self.rollbackVersion(to: earlier, after: latest)
        version.metrics.durationSeconds = started.secondsElapsed
        try store.publish(Manifest(version: version, partitioning: earlier.partitioning, files: earlier.files))
        return LoadResult.completed(
            target: target,
            table: table,
            strategy: .replace,
            version: version,
            currentVersionID: version.id,
            checksum: checksum,
            metrics: version.metrics,
            started: started,
            logger: logger
        )
    }

    /// Whether `latest` lists exactly `earlier`'s files with its schema: a rollback to `earlier` would change
    /// nothing.
    static func holdsAlready(_ latest: Manifest, _ earlier: Manifest) -> Bool {
        latest.version.schema == earlier.version.schema && latest.files.map(\.path) == earlier.files.map(\.path)
            && latest.version.checksum == earlier.version.checksum
    }

    /// The version a rollback to `earlier` records after `latest`: `earlier`'s rows, schema and checksum (and its
    /// cursor watermark, so an incremental load after it starts from there), counted by file against `latest`.
    static func rollbackVersion(to earlier: Manifest, after latest: Manifest) -> DataVersion {
        let checksum = ContentChecksum(hex: earlier.version.checksum) ?? .zero
        let before = Set(latest.files.map(\.path))
        let after = Set(earlier.files.map(\.path))
        var metrics = LoadingMetrics()
        metrics.recordsInserted = earlier.files.filter { !before.contains($0.path) }.reduce(0) { $0 + $1.records }
        metrics.recordsDeleted = latest.files.filter { !after.contains($0.path) }.reduce(0) { $0 + $1.records }
        var metadata = [rollbackKey: earlier.version.id]
        for key in [CursorTracker.columnKey, CursorTracker.watermarkKey] {
            metadata[key] = earlier.version.metadata[key]
        }
        return DataVersion(
            id: FileLoadWriter.versionID(after: latest.version.id),
            table: latest.version.table,
            createdAt: .now,
            strategy: .replace,
            source: "rollback to version \(earlier.version.id)",
            recordCount: earlier.version.recordCount,
            schema: earlier.version.schema,
            checksum: checksum,
            inputChecksum: checksum,
            parentID: latest.version.id,
            metrics: metrics,
            metadata: metadata
        )
    }

    /// The manifest of `versionID`, or a `notFound` error naming the table, the version and the oldest version
    /// whose files are all kept.
    private func manifest(_ versionID: String, ids: [String], store: ManifestStore) throws -> Manifest {
        let table = store.folder.table
        guard !ids.isEmpty else { throw SluiceError(.notFound, "table '\(table)' does not exist in \(target)") }
        guard ids.contains(versionID) else {
            let oldest = try oldestIntact(ids: ids, store: store, folder: store.folder)
            throw SluiceError(.notFound, "table '\(table)' has no version \(versionID) in \(target); \(oldest)")
        }
        return try store.manifest(versionID)
    }

    /// "the oldest version whose files are all kept is ID": the furthest back a rollback can go.
    private func oldestIntact(ids: [String], store: ManifestStore, folder: TableFolder) throws -> String {
        let missing = isMissing(in: folder)
        for id in ids {
            let files = try store.manifest(id).files
            if !files.contains(where: missing) { return "the oldest version whose files are all kept is \(id)" }
        }
        return "no version has all its files"
    }

    /// Whether a listed file is gone or has another size than its manifest entry says.
    private func isMissing(in folder: TableFolder) -> (PartFile) -> Bool {
        { file in Files.size(folder.absolute(file.path)) != file.bytes }
    }
}

extension ManifestStore {
    /// The manifests whose changes the table's current state holds, newest first: from the latest back along
    /// the parents, jumping from a rollback to the version it went back to (the versions between are undone).
    func inEffect() throws -> [Manifest] {
        let manifests = try all()
        let byID = Dictionary(manifests.map { ($0.version.id, $0) }, uniquingKeysWith: { first, _ in first })
        var result: [Manifest] = []
        var seen: Set<String> = []
        var next = manifests.last
        while let manifest = next, seen.insert(manifest.version.id).inserted {
            result.append(manifest)
            let previous = manifest.version.metadata[FileLoader.rollbackKey] ?? manifest.version.parentID
            next = previous.flatMap { byID[$0] }
        }
        return result
    }
}
