/// How ``ParquetWriter`` lays out a file. Every property has a default; set only what differs.
public struct ParquetWriteOptions: Sendable, Hashable {
    /// The page compression (default ``ParquetCodec/zstd``: on the price benchmark the smallest file of the
    /// codecs, at a cost close to snappy's; see `docs/Parquet.md`).
    public var codec: ParquetCodec = .zstd
    /// The codec's level; `nil` (default) is ``ParquetCodec/defaultLevel``.
    public var level: Int?
    /// A row group is closed once its columns hold this many bytes of plain-encoded (uncompressed) values
    /// (default 64 MiB). The writer buffers one row group's compressed column chunks, so this bounds memory.
    public var rowGroupSize = 64 << 20
    /// A page is closed once it holds this many bytes of plain-encoded values (default 1 MiB).
    public var pageSize = 1 << 20
    /// Whether columns other than booleans and doubles are dictionary-encoded (default `true`); a column falls
    /// back to PLAIN for the rest of its row group once its dictionary exceeds ``dictionaryPageSize``.
    public var dictionary = true
    /// The largest plain-encoded dictionary kept per column chunk (default 1 MiB).
    public var dictionaryPageSize = 1 << 20

    /// Options with every default.
    public init() {}

    /// Options with the given values; the rest default.
    public init(
        codec: ParquetCodec = .zstd,
        level: Int? = nil,
        rowGroupSize: Int = 64 << 20,
        pageSize: Int = 1 << 20,
        dictionary: Bool = true
    ) {
        self.codec = codec
        self.level = level
        self.rowGroupSize = rowGroupSize
        self.pageSize = pageSize
        self.dictionary = dictionary
    }
}
