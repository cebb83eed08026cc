import Sluice
import SluiceFormats

/// How the file target writes data files: format, compression, level and file size; and whether it follows
/// symbolic links.
public struct FileOutputOptions: Sendable, Hashable {
    /// The format of new data files.
    public var format: FileFormat
    /// The compression of new data files: of the whole file for the text formats; for Parquet, the page codec
    /// closest to it (``SluiceFormats/ParquetCodec/init(compression:)``) unless ``parquet`` names one.
    public var compression: Compression
    /// How Parquet files are written: the page codec (`snappy` and `lz4_raw` too), row group and page sizes.
    /// `nil` takes the codec from ``compression``.
    public var parquet: ParquetWriteOptions?
    /// The compression level; `nil` is the compression's default.
    public var level: Int?
    /// A data file is closed and the next one started once this many bytes were serialised into it (before
    /// compression). Default 256 MiB.
    public var maximumFileBytes: Int64
    /// How many partitions' files may be open at once while writing input in no particular date order; the
    /// least recently used is closed (and a later row of its partition starts a new file). Default 16.
    public var maximumOpenFiles: Int
    /// A keyed load into a partitioned table holds its input in memory up to about this many bytes, then spills
    /// it to files by partition and merges one partition's input at a time. Default 512 MiB.
    public var maximumStagedBytes: Int

    /// Options; the defaults are Parquet with zstd pages.
    public init(
        format: FileFormat = .parquet,
        compression: Compression = .zstd,
        level: Int? = nil,
        maximumFileBytes: Int64 = 256 << 20,
        maximumOpenFiles: Int = 16,
        maximumStagedBytes: Int = 512 << 20
    ) {
        self.format = format
        self.compression = compression
        self.level = level
        self.maximumFileBytes = maximumFileBytes
        self.maximumOpenFiles = maximumOpenFiles
        self.maximumStagedBytes = maximumStagedBytes
    }

    /// Whether the file target follows symbolic links in the folders it writes, deletes or reads in: the target
    /// directory, a table's folder, its `_sluice` folders, partition folders. Default `false`: a link is refused
    /// before anything is written or deleted (URL option `follow_symlinks=true` allows it).
    public var followsSymbolicLinks = false

    /// Whether files are synced before they are renamed into place (off only for scratch files: spills).
    var isDurable = true

    /// The file name extension: `csv.zst`, `jsonl`, `parquet` (Parquet compresses inside).
    var fileExtension: String {
        if format == .parquet { return format.fileExtension }
        return compression == .none ? format.fileExtension : format.fileExtension + "." + compression.fileExtension
    }

    /// How a Parquet file is written: ``parquet``, or the defaults with the codec closest to ``compression``.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`invalidRequest`) for a compression Parquet has no codec for (bzip2).
    func parquetOptions() throws -> ParquetWriteOptions {
        if let parquet { return parquet }
        guard let codec = ParquetCodec(compression: compression) else {
            throw SluiceError(
                .invalidRequest,
                "Parquet has no \(compression.rawValue) codec: choose none, snappy, gzip, zstd or lz4_raw"
            )
        }
        var options = ParquetWriteOptions()
        options.codec = codec
        if let level { options.level = level }
        return options
    }

    /// The compression a manifest records for new files: the codec for Parquet, else the whole-file one.
    func recordedCompression() throws -> String {
        format == .parquet ? try parquetOptions().codec.rawValue : compression.rawValue
    }
}
