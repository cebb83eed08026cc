/// The layout of a Parquet file, from its footer: what `sluice inspect` shows beyond the schema.
public struct ParquetSummary: Sendable, Hashable {
    /// One row group: its rows and the bytes of its column chunks.
    public struct RowGroup: Sendable, Hashable {
        /// Rows in the row group.
        public var rowCount: Int64
        /// Bytes of its column chunks as stored (compressed, page headers included).
        public var compressedSize: Int64
        /// Bytes of its column chunks uncompressed (page headers included).
        public var uncompressedSize: Int64
    }

    /// The file's size in bytes.
    public var fileSize: Int64
    /// Rows in the file (from the footer).
    public var rowCount: Int64
    /// The row groups, in file order.
    public var rowGroups: [RowGroup]
    /// The page codecs used, by their Parquet names (`zstd`, `snappy`, `uncompressed`, …), in first-use order.
    public var codecs: [String]
    /// The writer named in the footer (`created_by`), if any.
    public var createdBy: String?

    /// Reads the footer of `path`.
    ///
    /// - Throws: ``Sluice/SluiceError``: `io`, or `malformedInput` when it is not a readable Parquet file.
    public init(path: String) throws {
        let file = try ParquetFile(path: path)
        fileSize = file.size
        rowCount = file.metadata.numRows
        createdBy = file.metadata.createdBy
        rowGroups = file.metadata.rowGroups.map { group in
            RowGroup(
                rowCount: group.numRows,
                compressedSize: group.columns.reduce(0) { $0 + $1.totalCompressedSize },
                uncompressedSize: group.columns.reduce(0) { $0 + $1.totalUncompressedSize }
            )
        }
        var codecs: [String] = []
        for group in file.metadata.rowGroups {
            for column in group.columns {
                let name = ParquetCodec.name(ofThriftValue: column.codec)
                if !codecs.contains(name) { codecs.append(name) }
            }
        }
        self.codecs = codecs
    }
}
