import ArgumentParser
import Foundation
import Sluice
import SluiceFormats

/// `sluice sample ohlcv --rows N …`: deterministic daily market data for demos, tests and benchmarks.
struct SampleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Generate deterministic daily market data (symbol, date, open, high, low, close, adj_close, volume).",
        discussion: """
            Prices have 4 decimals and satisfy low <= open, close <= high; dates are NYSE trading days ending
            \(OHLCVGenerator.endDate). Format and compression default from the output's name (prices.csv.zst →
            CSV with zstd); without --output, CSV goes to standard output.
            """
    )

    @Argument(help: "The kind of sample: ohlcv.")
    var kind: String

    @Option(help: "Rows to generate.")
    var rows: Int

    @Option(help: "Number of symbols (default 100).")
    var symbols = 100

    @Option(help: "Random seed (default 42).")
    var seed: UInt64 = 42

    @Option(help: "csv, tsv, json or jsonl (default: from the output name, else csv).")
    var format: String?

    @Option(help: "none, gzip, bzip2, lz4 or zstd (default: from the output name, else none).")
    var compression: String?

    @Option(help: "Compression level (default: the codec's default).")
    var level: Int?

    @Option(help: "Output file (default: standard output).")
    var output: String?

    func validate() throws {
        guard kind == "ohlcv" else { throw ValidationError("unknown sample '\(kind)' (known: ohlcv)") }
        guard rows >= 0 else { throw ValidationError("--rows must be 0 or more") }
        guard symbols >= 1 && symbols <= 100_000 else { throw ValidationError("--symbols must be 1 to 100000") }
        if let format, FileFormat(rawValue: format.lowercased()) == nil {
            throw ValidationError("--format must be one of csv, tsv, json, jsonl")
        }
        if let compression, Compression(rawValue: compression.lowercased()) == nil {
            throw ValidationError("--compression must be one of none, gzip, bzip2, lz4, zstd")
        }
    }

    func run() async throws {
        do {
            let codec =
                compression.flatMap { Compression(rawValue: $0.lowercased()) }
                ?? output.map { Compression(fileName: $0) } ?? Compression.none
            let fileFormat =
                format.flatMap { FileFormat(rawValue: $0.lowercased()) }
                ?? output.flatMap { FileFormat(fileName: $0) } ?? .csv
            let generator = OHLCVGenerator(rows: rows, symbolCount: symbols, seed: seed)
            let schema = OHLCVGenerator.schema
            let writer =
                try output.map {
                    try RecordWriters.open(
                        path: $0,
                        schema: schema,
                        format: fileFormat,
                        compression: codec,
                        level: level
                    )
                } ?? RecordWriters.standardOutput(schema: schema, format: fileFormat, compression: codec, level: level)
            for batch in generator.batches() { try writer.write(batch) }
            try writer.finish()
        } catch {
            Terminal.report(error)
            throw ExitCode.failure
        }
    }
}
