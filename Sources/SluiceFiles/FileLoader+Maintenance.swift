import Foundation
import Sluice
import SluiceFormats

extension FileLoader {
    /// Removes leftovers — files no manifest lists, from loads that did not finish — in one table or all.
    public func optimize(table: String?) async throws -> OptimizationReport {
        let started = ContinuousClock.now
        try symlinks.check(namedDirectory, naming: "target directory")
        let tables = table.map { [$0] } ?? TableFolder.tables(in: directory)
        var before: Int64 = 0
        var after: Int64 = 0
        var removed = 0
        for name in tables {
            let folder = try folder(name)
            let lock = try await TableLock.acquire(in: folder.sluiceFolder, table: name)
            before += folder.dataFiles().reduce(0) { $0 + (Files.size(folder.absolute($1)) ?? 0) }
            removed += try FileLeftovers.remove(in: folder, store: ManifestStore(folder: folder))
            after += folder.dataFiles().reduce(0) { $0 + (Files.size(folder.absolute($1)) ?? 0) }
            withExtendedLifetime(lock) {}
        }
        return OptimizationReport(
            bytesBefore: before,
            bytesAfter: after,
            operations: ["removed \(removed) leftover file\(removed == 1 ? "" : "s") in \(tables.count) table(s)"],
            durationSeconds: started.secondsElapsed
        )
    }

    /// Per table: rows, bytes, files by format and codec with their compression ratio, partitions, versions.
    public func statistics(table: String?) async throws -> TargetStatistics {
        try symlinks.check(namedDirectory, naming: "target directory")
        let names = table.map { [$0] } ?? TableFolder.tables(in: directory)
        var tables: [TableStatistics] = []
        for name in names {
            let folder = try folder(name)
            let manifests = try ManifestStore(folder: folder).all()
            guard let latest = manifests.last else {
                throw SluiceError(.notFound, "table '\(name)' does not exist in \(target)")
            }
            tables.append(Self.statistics(of: latest, versions: manifests.map(\.version), folder: folder))
        }
        let bytes = tables.reduce(Int64(0)) { $0 + ($1.bytes ?? 0) }
        return TargetStatistics(
            target: target,
            tables: tables,
            details: ["directory": directory, "tables": String(tables.count), "bytes": String(bytes)]
        )
    }

    static func statistics(of manifest: Manifest, versions: [DataVersion], folder: TableFolder) -> TableStatistics {
        let files = manifest.files
        let bytes = files.reduce(Int64(0)) { $0 + $1.bytes }
        let serialised = files.reduce(Int64(0)) { $0 + $1.uncompressedBytes }
        var details: [String: String] = [
            "files": String(files.count),
            "serialised_bytes": String(serialised),
            "compression_ratio": ratio(serialised, bytes),
            "leftover_files": String(
                (try? FileLeftovers.find(in: folder, store: ManifestStore(folder: folder)).count) ?? 0
            ),
        ]
        let groups = Dictionary(grouping: files) { file in
            file.compression == "none" ? file.format.rawValue : "\(file.format.rawValue)+\(file.compression)"
        }
        for (kind, group) in groups {
            let groupBytes = group.reduce(Int64(0)) { $0 + $1.bytes }
            let groupSerialised = group.reduce(Int64(0)) { $0 + $1.uncompressedBytes }
            let rows = group.reduce(0) { $0 + $1.records }
            details["files " + kind] =
                "\(group.count) files, \(rows) rows, \(groupBytes) bytes (\(ratio(groupSerialised, groupBytes)) "
                + "of \(groupSerialised) serialised)"
        }
        if let partitioning = manifest.partitioning { details["partitioned_by"] = partitioning.description }
        let partitions = Set(files.compactMap(\.partition))
        return TableStatistics(
            name: manifest.version.table,
            rowCount: manifest.version.recordCount,
            bytes: bytes,
            versions: versions.map(VersionSummary.init),
            details: details,
            partitions: manifest.partitioning == nil ? nil : partitions.count
        )
    }

    /// `1:4.2` style text of how much smaller `compressed` is than `serialised`.
    private static func ratio(_ serialised: Int64, _ compressed: Int64) -> String {
        guard compressed > 0 else { return "-" }
        let value = Double(serialised) / Double(compressed)
        return String(format: "%.2fx", value)
    }
}
