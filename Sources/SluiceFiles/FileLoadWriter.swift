import Foundation
import Sluice

/// What the writer did: the metrics, the version published (or `nil` when nothing changed), the checksum.
struct FileWriteOutcome: Sendable {
    var metrics: LoadingMetrics
    var version: DataVersion?
    var checksum: ContentChecksum
    var currentVersionID: String?
}

/// What a strategy produced: the change it made, the table's files after it, and the files it wrote (removed
/// again when the load turns out to change nothing or fails).
struct StrategyResult {
    var change: TableChange
    var files: [PartFile]
    var written: [PartFile]
}

/// One load of the file target, on the writer thread: run the strategy into new files, then publish the version's
/// manifest — or remove the new files when nothing changed or anything failed.
struct FileLoadWriter {
    let context: FileLoadContext
    let channel: PreparedInput.Channel
    let store: ManifestStore

    var plan: LoadPlan { context.plan }
    var parent: Manifest? { context.parent }

    func run() throws -> FileWriteOutcome {
        let versionID = Self.versionID(after: parent?.version.id)
        var result = try runStrategy(versionID: versionID)
        do {
            guard let summary = channel.summary else {
                throw SluiceError(.targetFailure, "table '\(plan.table)': the input ended without a summary")
            }
            let changed = plan.isChanged(by: result.change)
            result.change = result.change.settled(
                validRows: summary.metrics.recordsProcessed - summary.metrics.recordsFailed
            )
            var metrics = summary.metrics.recording(result.change, retries: 0)
            guard changed else {
                removeWritten(result.written)
                let checksum = parent.flatMap { ContentChecksum(hex: $0.version.checksum) } ?? .zero
                return FileWriteOutcome(
                    metrics: metrics,
                    version: nil,
                    checksum: checksum,
                    currentVersionID: parent?.version.id
                )
            }
            try Files.syncFolders(of: result.written.map(\.path), in: context.folder)
            let files = try rechecksummed(result.files, written: result.written)
            let manifestFiles = files
            let checksum = manifestFiles.reduce(into: ContentChecksum.zero) { sum, file in
                sum.add(ContentChecksum(hex: file.checksum) ?? .zero)
            }
            metrics.durationSeconds = context.started.secondsElapsed
            var version = DataVersion(
                recording: plan,
                request: context.request,
                source: context.source,
                recordCount: manifestFiles.reduce(0) { $0 + $1.records },
                checksum: checksum,
                inputChecksum: summary.inputChecksum,
                parent: parent?.version,
                metrics: metrics,
                metadata: result.change.metadata
            )
            version.id = versionID
            try store.publish(Manifest(version: version, partitioning: context.partitioning, files: manifestFiles))
            return FileWriteOutcome(metrics: metrics, version: version, checksum: checksum, currentVersionID: versionID)
        } catch {
            removeWritten(result.written)
            throw error
        }
    }

    private func runStrategy(versionID: String) throws -> StrategyResult {
        let output = try PartOutput(
            folder: context.folder,
            schema: plan.tableSchema,
            versionID: versionID,
            partitioning: context.partitioning,
            options: context.output
        )
        do {
            let streamed = StreamedWrite(context: context, channel: channel, output: output)
            switch context.strategy {
            case .append where plan.keyColumns.isEmpty:
                return try streamed.append(isRerun: isRerunOfEarlierAppend)
            case .replace where plan.keyColumns.isEmpty:
                return try streamed.replaceAll()
            default:
                return try KeyedMerge(context: context, channel: channel, output: output)
                    .run(isRerun: isRerunOfEarlierAppend)
            }
        } catch {
            output.abandon()
            throw error
        }
    }

    /// Whether an earlier version of the table whose rows it still holds was an append of exactly this input
    /// (then an unforced append is a no-op rerun). An append a rollback undid does not count.
    private func isRerunOfEarlierAppend(_ inputChecksum: ContentChecksum) throws -> Bool {
        guard context.strategy == .append, !context.request.force, parent != nil else { return false }
        return try store.inEffect().contains { manifest in
            manifest.version.strategy == .append && manifest.version.inputChecksum == inputChecksum.hex
        }
    }

    /// The files kept from the parent with their checksums recomputed when the load added columns (a row's
    /// digest covers every column of the table, so a new NULL column changes it); new files as written.
    private func rechecksummed(_ files: [PartFile], written: [PartFile]) throws -> [PartFile] {
        guard !plan.addedColumns.isEmpty else { return files }
        let new = Set(written.map(\.path))
        let digester = RowDigester(schema: plan.tableSchema)
        var buffer: [UInt8] = []
        return try files.map { file in
            guard !new.contains(file.path) else { return file }
            var reader = try PartReader(file: file, folder: context.folder, schema: plan.tableSchema)
            var sum = ContentChecksum.zero
            while let batch = try reader.next() {
                for row in 0..<batch.count { sum.add(digester.digest(row: row, of: batch, buffer: &buffer)) }
            }
            var updated = file
            updated.checksum = sum.hex
            return updated
        }
    }

    private func removeWritten(_ files: [PartFile]) {
        for file in files { Files.remove(context.folder.absolute(file.path)) }
    }

    /// A new version id that sorts after `parentID` even when another process's clock is behind this one's.
    static func versionID(after parentID: String?) -> String {
        let id = UUIDv7.make()
        guard let parentID, id <= parentID else { return id }
        let millisHex = parentID.replacingOccurrences(of: "-", with: "").prefix(12)
        let millis = UInt64(millisHex, radix: 16) ?? 0
        return UUIDv7.make(now: Date(timeIntervalSince1970: Double(millis + 1) / 1000))
    }
}
