import Sluice
import SluiceFormats

/// Writes a version's new data files: rows are routed to their partition's file, a file is closed when it
/// reaches ``FileOutputOptions/maximumFileBytes``, and at most ``FileOutputOptions/maximumOpenFiles`` files are
/// open at once (input sorted by date makes one file per partition).
///
/// Files are named `part-<version>-<n>.<format>[.<codec>]`, numbered in the order they are started.
final class PartOutput {
    private let folder: TableFolder
    private let schema: Schema
    private let versionID: String
    private let options: FileOutputOptions
    private var namer: PartitionFolder?
    private var open: [String: PartWriter] = [:]
    /// Partition folders in least-recently-used order (last = most recent).
    private var recency: [String] = []
    private var finished: [PartFile] = []
    private var nextNumber = 0
    /// Partitions whose folders were checked for symbolic links.
    private var checked: Set<String> = []

    /// An output for new files of version `versionID` of the table in `folder`.
    init(
        folder: TableFolder,
        schema: Schema,
        versionID: String,
        partitioning: Partitioning?,
        options: FileOutputOptions
    ) throws {
        self.folder = folder
        self.schema = schema
        self.versionID = versionID
        self.options = options
        namer = try partitioning.map { try PartitionFolder(partitioning: $0, schema: schema, table: folder.table) }
    }

    deinit { abandon() }

    /// The partition folder of row `row` of `batch` (`""` when the table is not partitioned).
    func partition(ofRow row: Int, in batch: RecordBatch) -> String {
        namer?.name(row: row, of: batch) ?? ""
    }

    /// Writes every row of `batch` (digests in `digests`) to its partition's file.
    func write(_ batch: RecordBatch, digests: [ContentChecksum]) throws {
        guard batch.count > 0 else { return }
        guard namer != nil else { return try write(batch, digests: digests, partition: "") }
        var rowsByPartition: [String: [Int]] = [:]
        var order: [String] = []
        for row in 0..<batch.count {
            let name = partition(ofRow: row, in: batch)
            if rowsByPartition[name] == nil { order.append(name) }
            rowsByPartition[name, default: []].append(row)
        }
        if order.count == 1 { return try write(batch, digests: digests, partition: order[0]) }
        for name in order {
            let rows = rowsByPartition[name]!
            var builder = RecordBatchBuilder(schema: batch.schema, source: batch.source, capacity: rows.count)
            for row in rows { builder.copyRow(row, from: batch) }
            try write(builder.build(), digests: rows.map { digests[$0] }, partition: name)
        }
    }

    /// Writes `batch` (all of one partition) to that partition's file.
    func write(_ batch: RecordBatch, digests: [ContentChecksum], partition: String) throws {
        guard batch.count > 0 else { return }
        let writer = try writer(for: partition)
        try writer.write(batch, digests: digests)
        if writer.serialisedBytes >= options.maximumFileBytes { try close(partition) }
    }

    /// Completes every open file and returns all the files written; from then on they are the caller's to keep
    /// or remove.
    func finish() throws -> [PartFile] {
        for partition in recency { try close(partition) }
        defer { finished.removeAll() }
        return finished
    }

    /// Gives up every file written so far: open ones are abandoned, finished ones removed.
    func abandon() {
        for writer in open.values { writer.abandon() }
        open.removeAll()
        recency.removeAll()
        for file in finished { Files.remove(folder.absolute(file.path)) }
        finished.removeAll()
    }

    /// Gives up the files of one partition written so far (the partition turned out unchanged).
    func discard(partition: String) {
        open.removeValue(forKey: partition)?.abandon()
        recency.removeAll { $0 == partition }
        let key: String? = partition.isEmpty ? nil : partition
        for file in finished where file.partition == key { Files.remove(folder.absolute(file.path)) }
        finished.removeAll { $0.partition == key }
    }

    private func writer(for partition: String) throws -> PartWriter {
        if let writer = open[partition] {
            if recency.last != partition {
                recency.removeAll { $0 == partition }
                recency.append(partition)
            }
            return writer
        }
        if let symlinks = folder.symlinks, checked.insert(partition).inserted {
            try symlinks.check(partitions: [partition], in: folder.path)
        }
        if open.count >= max(1, options.maximumOpenFiles), let oldest = recency.first { try close(oldest) }
        let name = "part-\(versionID)-\(nextNumber).\(options.fileExtension)"
        nextNumber += 1
        let writer = try PartWriter(
            folder: folder,
            relativePath: partition.isEmpty ? name : partition + "/" + name,
            partition: partition.isEmpty ? nil : partition,
            schema: schema,
            options: options
        )
        open[partition] = writer
        recency.append(partition)
        return writer
    }

    private func close(_ partition: String) throws {
        guard let writer = open.removeValue(forKey: partition) else { return }
        recency.removeAll { $0 == partition }
        finished.append(try writer.finish(versionID: versionID))
    }
}
