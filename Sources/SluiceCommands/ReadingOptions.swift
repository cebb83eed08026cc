import ArgumentParser
import Sluice
import SluiceFormats

/// How input files are read: overrides for what sluice otherwise detects from the bytes.
struct ReadingOptions: ParsableArguments {
    @Option(
        name: .customLong("input-format"),
        help: "Input format: csv, tsv, json, jsonl or parquet (default: detected)."
    )
    var format: String?

    @Option(
        name: .customLong("input-compression"),
        help: "Input compression: none, gzip, bzip2, lz4 or zstd (default: detected from the bytes)."
    )
    var compression: String?

    @Option(help: "CSV field delimiter (one character; default ',' for CSV, tab for TSV).")
    var delimiter: String?

    @Option(help: "CSV quote character (default '\"').")
    var quote: String?

    @Flag(name: .customLong("no-header"), help: "The CSV has no header row; columns are named column_1, column_2, ….")
    var noHeader = false

    @Option(name: .customLong("batch-size"), help: "Rows per batch (default 8192).")
    var batchSize = 8192

    func validate() throws {
        if let format, FileFormat(rawValue: format.lowercased()) == nil {
            throw ValidationError("--input-format must be one of csv, tsv, json, jsonl, parquet (got '\(format)')")
        }
        if let compression, Compression(rawValue: compression.lowercased()) == nil {
            throw ValidationError(
                "--input-compression must be one of none, gzip, bzip2, lz4, zstd (got '\(compression)')"
            )
        }
        if let delimiter, delimiter.utf8.count != 1 && delimiter != "\\t" {
            throw ValidationError("--delimiter must be one ASCII character (got '\(delimiter)')")
        }
        if let quote, quote.utf8.count != 1 { throw ValidationError("--quote must be one ASCII character") }
        guard batchSize > 0 && batchSize <= 1_000_000 else {
            throw ValidationError("--batch-size must be between 1 and 1000000")
        }
    }

    /// The reader options these flags describe.
    func readOptions(schema: Schema? = nil, keyColumns: [String] = []) -> ReadOptions {
        var options = ReadOptions()
        options.format = format.flatMap { FileFormat(rawValue: $0.lowercased()) }
        options.compression = compression.flatMap { Compression(rawValue: $0.lowercased()) }
        if let delimiter { options.delimiter = delimiter == "\\t" ? UInt8(ascii: "\t") : delimiter.utf8.first }
        if let quote, let byte = quote.utf8.first { options.quote = byte }
        options.hasHeader = !noHeader
        options.batchSize = batchSize
        options.schema = schema
        options.keyColumns = keyColumns
        return options
    }
}
