import Sluice
import SluiceFormats

/// How the file target writes data files: format, compression, level and file size.
public struct FileOutputOptions: Sendable, Hashable {
    /// The format of new data files.
    public var format: FileFormat
    /// The compression of new data files (whole-file; Parquet compresses its pages instead).
    public var compression: Compression
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

    /// Options; the defaults are CSV with zstd at its default level.
    public init(
        format: FileFormat = .csv,
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

    /// Whether files are synced before they are renamed into place (off only for scratch files: spills).
    var isDurable = true

    /// The file name extension: `csv.zst`, `jsonl`, ….
    var fileExtension: String {
        compression == .none ? format.fileExtension : format.fileExtension + "." + compression.fileExtension
    }
}
