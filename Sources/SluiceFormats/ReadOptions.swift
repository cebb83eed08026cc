import Sluice

/// How files are read. Every property has a default; set only what differs.
public struct ReadOptions: Sendable {
    /// The format; `nil` (default) detects it from the extension, else from the first bytes.
    public var format: FileFormat?
    /// The compression; `nil` (default) detects it from the magic bytes.
    public var compression: Compression?
    /// The CSV field delimiter; `nil` (default) means `,` for CSV and tab for TSV.
    public var delimiter: UInt8?
    /// The CSV quote byte (default `"`). Inside a quoted field it is escaped by doubling it.
    public var quote: UInt8 = UInt8(ascii: "\"")
    /// Whether the first CSV row names the columns (default `true`). Without one, columns are named
    /// `column_1`, `column_2`, … unless ``schema`` names them.
    public var hasHeader = true
    /// Rows per ``Sluice/RecordBatch`` (default 8192).
    public var batchSize = 8192
    /// The schema to read with; `nil` (default) infers one from the first ``inferenceRows`` rows.
    /// Its columns are matched to the file's columns by name.
    public var schema: Schema?
    /// The natural key; empty (default) keeps the key of ``schema``, if any.
    public var keyColumns: [String] = []
    /// How many rows schema inference looks at (default 1000).
    public var inferenceRows = 1000
    /// Whether file columns that ``schema`` lacks are inferred and added (default `true`); when `false` they are
    /// an error.
    public var inferMissingColumns = true
    /// Bytes read from the file at a time (default 1 MiB).
    public var chunkSize = 1 << 20

    /// Options with every default.
    public init() {}

    /// Options with the given values; the rest default.
    public init(
        format: FileFormat? = nil,
        compression: Compression? = nil,
        delimiter: UInt8? = nil,
        hasHeader: Bool = true,
        batchSize: Int = 8192,
        schema: Schema? = nil,
        keyColumns: [String] = []
    ) {
        self.format = format
        self.compression = compression
        self.delimiter = delimiter
        self.hasHeader = hasHeader
        self.batchSize = batchSize
        self.schema = schema
        self.keyColumns = keyColumns
    }
}
