import Sluice
import SluiceFormats

/// One data file being written: rows go through the format's writer, the compressor and the hashing sink into a
/// temporary file, which ``finish()`` syncs and renames into place and describes as a ``PartFile``.
final class PartWriter {
    /// The path relative to the table's folder.
    let relativePath: String
    /// The partition folder, if any.
    let partition: String?
    private let options: FileOutputOptions
    private let writer: any RecordWriter
    private let counting: CountingSink
    private let hashing: HashingSink
    private let compression: String
    /// Rows written.
    private(set) var records = 0
    /// The content checksum of the rows written.
    private(set) var checksum = ContentChecksum.zero

    /// Starts `relativePath` in `folder` (its partition folder is created if missing).
    init(
        folder: TableFolder,
        relativePath: String,
        partition: String?,
        schema: Schema,
        options: FileOutputOptions
    ) throws {
        self.relativePath = relativePath
        self.partition = partition
        self.options = options
        if let partition { try Durability.makeDirectory(folder.absolute(partition)) }
        hashing = HashingSink(try FileSink(path: folder.absolute(relativePath), syncs: options.isDurable))
        do {
            if options.format == .parquet {
                counting = CountingSink(hashing)
                writer = RecordWriters.make(
                    format: .parquet,
                    schema: schema,
                    output: counting,
                    parquet: try options.parquetOptions()
                )
            } else {
                let compressed = try CompressedOutput(
                    sink: hashing,
                    compression: options.compression,
                    level: options.level
                )
                counting = CountingSink(compressed)
                writer = RecordWriters.make(format: options.format, schema: schema, output: counting)
            }
            compression = try options.recordedCompression()
        } catch {
            hashing.abandon()
            throw error
        }
    }

    /// Serialised bytes so far (before compression; for Parquet, the file's bytes, which compress inside).
    var serialisedBytes: Int64 { counting.byteCount }

    /// Writes the rows of `batch`, whose digests are `digests`.
    func write(_ batch: RecordBatch, digests: [ContentChecksum]) throws {
        try writer.write(batch)
        records += batch.count
        for digest in digests { checksum.add(digest) }
    }

    /// Completes the file (synced and renamed into place) and describes it.
    func finish(versionID: String) throws -> PartFile {
        do {
            try writer.finish()
        } catch {
            hashing.abandon()
            throw error
        }
        return PartFile(
            path: relativePath,
            partition: partition,
            writtenBy: versionID,
            format: options.format,
            compression: compression,
            bytes: hashing.byteCount,
            uncompressedBytes: counting.byteCount,
            records: records,
            sha256: hashing.digestHex(),
            checksum: checksum.hex
        )
    }

    /// Gives the file up: its temporary is removed.
    func abandon() {
        hashing.abandon()
    }
}
