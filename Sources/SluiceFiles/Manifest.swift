import Sluice
import SluiceFormats

/// The record of one version of a table in the file target: the version itself and every file the table
/// consists of at that version.
///
/// Manifests are the file target's catalog. One is written per version, last and atomically (temporary name,
/// `fsync`, rename, `fsync` of the folder), as `TABLE/_sluice/versions/<version-id>.json`. A table's current
/// state is what its latest manifest lists; files no manifest lists are leftovers of a load that did not
/// finish, and are removed by the next load or `optimize`. The format is described in `docs/FileTarget.md`.
public struct Manifest: Sendable, Hashable, Codable {
    /// The manifest format this code writes; a reader refuses a newer one.
    public static let currentFormatVersion = 1

    /// The manifest format (``currentFormatVersion`` when written by this code).
    public var formatVersion: Int
    /// The version: id, strategy, counts, schema, content checksum, parent.
    public var version: DataVersion
    /// How the table is split into folders, if it is.
    public var partitioning: Partitioning?
    /// Every file of the table at this version.
    public var files: [PartFile]

    /// Creates a manifest.
    public init(version: DataVersion, partitioning: Partitioning?, files: [PartFile]) {
        self.formatVersion = Self.currentFormatVersion
        self.version = version
        self.partitioning = partitioning
        self.files = files.sorted { $0.path < $1.path }
    }

    /// The sum of the files' content checksums: the table's checksum when the manifest is consistent.
    public var filesChecksum: ContentChecksum {
        files.reduce(into: ContentChecksum.zero) { sum, file in
            if let checksum = ContentChecksum(hex: file.checksum) { sum.add(checksum) }
        }
    }

    /// The sum of the files' record counts.
    public var filesRecordCount: Int { files.reduce(0) { $0 + $1.records } }

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case version
        case partitioning
        case files
    }
}

/// One data file of a table, as a manifest lists it.
public struct PartFile: Sendable, Hashable, Codable {
    /// The path relative to the table's folder: `year=2025/month=08/part-<version>-0.csv.zst`.
    public var path: String
    /// The partition folder (`year=2025/month=08`), or `nil` when the table is not partitioned.
    public var partition: String?
    /// The version that wrote the file (a later version lists it again when it keeps it).
    public var writtenBy: String
    /// The file format.
    public var format: FileFormat
    /// The compression: of the whole file for the text formats, of the pages for Parquet.
    public var compression: String
    /// The file's size in bytes.
    public var bytes: Int64
    /// The bytes serialised before compression (equal to ``bytes`` when uncompressed).
    public var uncompressedBytes: Int64
    /// Rows in the file.
    public var records: Int
    /// SHA-256 of the file's bytes, lowercase hex.
    public var sha256: String
    /// The content checksum of the file's rows (``Sluice/ContentChecksum``), lowercase hex.
    public var checksum: String

    /// Creates a file entry.
    public init(
        path: String,
        partition: String?,
        writtenBy: String,
        format: FileFormat,
        compression: String,
        bytes: Int64,
        uncompressedBytes: Int64,
        records: Int,
        sha256: String,
        checksum: String
    ) {
        self.path = path
        self.partition = partition
        self.writtenBy = writtenBy
        self.format = format
        self.compression = compression
        self.bytes = bytes
        self.uncompressedBytes = uncompressedBytes
        self.records = records
        self.sha256 = sha256
        self.checksum = checksum
    }

    enum CodingKeys: String, CodingKey {
        case path
        case partition
        case writtenBy = "written_by"
        case format
        case compression
        case bytes
        case uncompressedBytes = "uncompressed_bytes"
        case records
        case sha256
        case checksum
    }
}
