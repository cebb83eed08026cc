import Foundation
import Sluice
import SluiceFormats

/// Which versions of a table the file target keeps.
///
/// A version is removed only when it is outside both limits given: older than the newest ``keepVersions``
/// versions, and older than ``keepDays`` days. The latest version is always kept. With neither limit nothing
/// is removed.
public struct RetentionPolicy: Sendable, Hashable, Codable {
    /// Keep at least the newest this many versions.
    public var keepVersions: Int?
    /// Keep every version younger than this many days.
    public var keepDays: Int?
    /// Move superseded files here (compressed with zstd when they are not compressed already) instead of
    /// deleting them: `ARCHIVE/TABLE/…`, with the removed versions' manifests in `ARCHIVE/TABLE/_sluice/versions`.
    public var archiveDirectory: String?

    /// Creates a policy.
    public init(keepVersions: Int? = nil, keepDays: Int? = nil, archiveDirectory: String? = nil) {
        self.keepVersions = keepVersions
        self.keepDays = keepDays
        self.archiveDirectory = archiveDirectory
    }

    enum CodingKeys: String, CodingKey {
        case keepVersions = "keep_versions"
        case keepDays = "keep_days"
        case archiveDirectory = "archive_directory"
    }
}

/// What applying a ``RetentionPolicy`` did.
public struct RetentionReport: Sendable, Hashable, Codable {
    /// The table.
    public var table: String
    /// The versions removed, oldest first.
    public var removedVersions: [String]
    /// How many versions remain.
    public var keptVersions: Int
    /// Data files no remaining version lists, deleted or archived.
    public var removedFiles: Int
    /// Bytes those files took in the table's folder.
    public var removedBytes: Int64
    /// Files written to the archive folder (data files and manifests).
    public var archivedFiles: Int

    enum CodingKeys: String, CodingKey {
        case table
        case removedVersions = "removed_versions"
        case keptVersions = "kept_versions"
        case removedFiles = "removed_files"
        case removedBytes = "removed_bytes"
        case archivedFiles = "archived_files"
    }
}

extension FileLoader {
    /// Applies `policy` to `table`: removes the versions it does not keep, then the files only they listed —
    /// deleted, or moved to the policy's archive folder first. Safe to rerun after a crash at any step: manifests
    /// go before files, and a file is archived (synced and renamed into place) before it is deleted.
    ///
    /// - Parameter now: the time `keepDays` counts back from.
    public func retain(table: String, policy: RetentionPolicy, now: Date = Date()) async throws -> RetentionReport {
        let folder = try folder(table)
        let lock = try await TableLock.acquire(in: folder.sluiceFolder, table: table)
        defer { withExtendedLifetime(lock) {} }
        let store = ManifestStore(folder: folder)
        let manifests = try store.all()
        guard !manifests.isEmpty else {
            throw SluiceError(.notFound, "table '\(table)' does not exist in \(target)")
        }
        let removed = Self.versionsToRemove(manifests.map(\.version), policy: policy, now: now)
        let kept = manifests.filter { !removed.contains($0.version.id) }
        let stillListed = Set(kept.flatMap { $0.files.map(\.path) })
        var superseded: [String: PartFile] = [:]
        for manifest in manifests where removed.contains(manifest.version.id) {
            for file in manifest.files where !stillListed.contains(file.path) { superseded[file.path] = file }
        }
        let files = superseded.values.sorted { $0.path < $1.path }
        try symlinks.check(partitionsOf: files, in: folder)
        var archived = 0
        if let archive = policy.archiveDirectory {
            let archiver = try RetentionArchive(directory: archive, table: table, symlinks: symlinks, files: files)
            for manifest in manifests where removed.contains(manifest.version.id) {
                try archiver.archive(manifest: folder.manifestPath(manifest.version.id), id: manifest.version.id)
                archived += 1
            }
            for file in files where Files.size(folder.absolute(file.path)) != nil {
                try archiver.archive(file: file, from: folder)
                archived += 1
            }
        }
        for manifest in manifests where removed.contains(manifest.version.id) {
            Files.remove(folder.manifestPath(manifest.version.id))
        }
        if !removed.isEmpty { try Durability.syncDirectory(folder.versionsFolder) }
        var bytes: Int64 = 0
        for file in files {
            bytes += Files.size(folder.absolute(file.path)) ?? 0
            Files.remove(folder.absolute(file.path))
        }
        return RetentionReport(
            table: table,
            removedVersions: manifests.map(\.version.id).filter { removed.contains($0) },
            keptVersions: kept.count,
            removedFiles: files.count,
            removedBytes: bytes,
            archivedFiles: archived
        )
    }

    /// The ids of the versions `policy` removes from `versions` (oldest first).
    static func versionsToRemove(_ versions: [DataVersion], policy: RetentionPolicy, now: Date) -> Set<String> {
        guard policy.keepVersions != nil || policy.keepDays != nil, versions.count > 1 else { return [] }
        var removed: Set<String> = []
        let cutoff = policy.keepDays.map { Int64(now.timeIntervalSince1970 * 1_000_000) - Int64($0) * 86_400_000_000 }
        for (index, version) in versions.dropLast().enumerated() {
            let newerCount = versions.count - 1 - index
            let beyondCount = policy.keepVersions.map { newerCount >= $0 } ?? true
            let beyondAge = cutoff.map { version.createdAt.microsecondsSinceEpoch < $0 } ?? true
            if beyondCount && beyondAge { removed.insert(version.id) }
        }
        return removed
    }
}

/// Copies superseded files into an archive folder, compressing those that are not compressed already.
struct RetentionArchive {
    let root: String
    let table: String

    /// An archive of `table` in `directory`, which will receive `files`: the archive directory, the table's folder
    /// in it, its `_sluice` folders and the files' partition folders are checked by `symlinks` before any is made.
    init(directory: String, table: String, symlinks: SymlinkGuard, files: [PartFile]) throws {
        let absolute = directory.hasPrefix("/") ? directory : FileManager.default.currentDirectoryPath + "/" + directory
        let archive = (absolute as NSString).standardizingPath
        root = archive + "/" + table
        self.table = table
        try symlinks.check(SymlinkGuard.named(absolute), naming: "archive directory")
        try symlinks.check(root, naming: "archive folder")
        try symlinks.check(root + "/_sluice", naming: "archive folder")
        try symlinks.check(root + "/_sluice/versions", naming: "archive folder")
        try symlinks.check(partitions: Set(files.compactMap(\.partition)).sorted(), in: root)
        try Durability.makeDirectory(root)
    }

    /// Copies the manifest at `path` to `ARCHIVE/TABLE/_sluice/versions/ID.json`.
    func archive(manifest path: String, id: String) throws {
        let target = root + "/_sluice/versions/" + id + ".json"
        try Durability.makeDirectory((target as NSString).deletingLastPathComponent)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SluiceError(.io, "\(path): cannot read the manifest to archive it")
        }
        try Durability.writeAtomically(Array(data), to: target)
    }

    /// Copies `file` to `ARCHIVE/TABLE/PATH` (with `.zst` added when it was not compressed), synced.
    func archive(file: PartFile, from folder: TableFolder) throws {
        let compress = file.compression == Compression.none.rawValue && file.format.rawValue != "parquet"
        let target = root + "/" + file.path + (compress ? ".zst" : "")
        try Durability.makeDirectory((target as NSString).deletingLastPathComponent)
        let sink = try CompressedOutput(path: target, compression: compress ? .zstd : .none)
        guard let handle = FileHandle(forReadingAtPath: folder.absolute(file.path)) else {
            sink.abandon()
            throw SluiceError(.io, "\(folder.absolute(file.path)): cannot open to archive it")
        }
        defer { try? handle.close() }
        do {
            while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
                try data.withUnsafeBytes { try sink.write($0) }
            }
            try sink.finish()
        } catch {
            sink.abandon()
            throw error
        }
        try Durability.syncDirectory((target as NSString).deletingLastPathComponent)
    }
}
