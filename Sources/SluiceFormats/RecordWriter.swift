import Sluice

/// Writes batches of records to an output in one format. Call ``write(_:)`` per batch, then ``finish()`` once;
/// a writer dropped without `finish` leaves no file behind (its temporary is removed).
public protocol RecordWriter: AnyObject {
    /// The schema of the batches written.
    var schema: Schema { get }
    /// Writes the rows of `batch` (its rejects are not written).
    func write(_ batch: RecordBatch) throws
    /// Flushes everything and completes the output (for files: synced and renamed into place).
    func finish() throws
}

/// Makes writers for files and standard output.
public enum RecordWriters {
    /// A writer of `format` into `output`; `parquet` sets how a Parquet file is written (default zstd pages).
    ///
    /// For Parquet, `output` should not compress the whole file: Parquet compresses its pages (map a
    /// whole-file ``Compression`` to a page codec with ``ParquetCodec/init(compression:)``).
    public static func make(
        format: FileFormat,
        schema: Schema,
        output: any ByteSink,
        parquet: ParquetWriteOptions = ParquetWriteOptions()
    ) -> any RecordWriter {
        switch format {
        case .csv: return CSVWriter(schema: schema, output: output, delimiter: UInt8(ascii: ","))
        case .tsv: return CSVWriter(schema: schema, output: output, delimiter: 0x09)
        case .json: return JSONWriter(schema: schema, output: output, isLines: false)
        case .jsonl: return JSONWriter(schema: schema, output: output, isLines: true)
        case .parquet: return ParquetWriter(schema: schema, output: output, options: parquet)
        }
    }

    /// A writer of a file at `path`, written under a temporary name and renamed on `finish()`.
    ///
    /// - Parameters:
    ///   - format: the format; `nil` takes it from the extension (`prices.csv.gz` → csv), else CSV.
    ///   - compression: the compression; `nil` takes it from the extension (`.gz`, `.bz2`, `.lz4`, `.zst`).
    ///     Whole-file compression does not apply to Parquet (its pages are compressed by `parquet.codec`).
    ///   - level: the compression level (for Parquet, the codec's level); `nil` is the default.
    ///   - parquet: how a Parquet file is written (codec, row group and page sizes); `nil` is the defaults with
    ///     the codec named in the file name (`prices.snappy.parquet`, see ``ParquetCodec/init(fileName:)``),
    ///     else zstd.
    public static func open(
        path: String,
        schema: Schema,
        format: FileFormat? = nil,
        compression: Compression? = nil,
        level: Int? = nil,
        parquet: ParquetWriteOptions? = nil
    ) throws -> any RecordWriter {
        if (format ?? FileFormat(fileName: path)) == .parquet {
            let whole = compression ?? Compression(fileName: path)
            guard whole == .none else {
                throw SluiceError(
                    .invalidRequest,
                    "\(path): whole-file \(whole.rawValue) compression does not apply to Parquet; choose a Parquet codec"
                )
            }
            var options = parquet ?? ParquetWriteOptions(codec: ParquetCodec(fileName: path) ?? .zstd)
            if let level { options.level = level }
            return ParquetWriter(schema: schema, output: try FileSink(path: path), options: options)
        }
        let output = try CompressedOutput(
            path: path,
            compression: compression ?? Compression(fileName: path),
            level: level
        )
        return make(format: format ?? FileFormat(fileName: path) ?? .csv, schema: schema, output: output)
    }

    /// A writer to standard output, optionally compressed.
    public static func standardOutput(
        schema: Schema,
        format: FileFormat,
        compression: Compression = .none,
        level: Int? = nil
    ) throws -> any RecordWriter {
        let output = try CompressedOutput(sink: StandardOutputSink(), compression: compression, level: level)
        return make(format: format, schema: schema, output: output)
    }
}
