import Foundation
import Sluice
import Testing

@testable import SluiceFormats

@Suite("Parquet through FileSource, RecordWriters and inspect")
struct ParquetFileSourceTests {
    @Test("RecordWriters.open writes Parquet for .parquet with the chosen codec; FileSource reads it back")
    func writersAndSources() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("prices.parquet")
        let rows = ParquetFixtures.rows(300)
        let writer = try RecordWriters.open(
            path: path,
            schema: ParquetFixtures.schema,
            parquet: ParquetWriteOptions(codec: .gzip)
        )
        #expect(writer is ParquetWriter)
        try writer.write(try RecordBatch(schema: ParquetFixtures.schema, rows: rows))
        #expect(!FileManager.default.fileExists(atPath: path))
        try writer.finish()
        #expect(try ParquetSummary(path: path).codecs == ["gzip"])

        let opened = try FileSource.open(paths: [path, path])
        #expect(opened.schema == ParquetFixtures.schema)
        var read: [[Value]] = []
        var sources: Set<String> = []
        for try await batch in opened.stream {
            for row in 0..<batch.count { read.append(batch.row(row)) }
            sources.insert(batch.source)
        }
        #expect(read == rows + rows)
        #expect(sources == [path])
    }

    @Test("Parquet is detected from PAR1, whatever the name; format and key options apply")
    func sniffing() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("data.bin")
        try ParquetFixtures.write(ParquetFixtures.rows(5), to: path)
        #expect(try FileSource.schema(of: path) == ParquetFixtures.schema)
        #expect(try readFile(path).rows == ParquetFixtures.rows(5))
        var options = ReadOptions()
        options.keyColumns = ["symbol", "day"]
        #expect(try FileSource.schema(of: path, options: options).keyColumns == ["symbol", "day"])
        let bytes = Array("PAR1xxxx".utf8)
        #expect(bytes.withUnsafeBytes { FileFormat.sniff($0) } == .parquet)
        #expect(FileFormat(fileName: "a/b.parquet") == .parquet)
    }

    @Test("a given schema picks columns by name like a CSV header")
    func givenSchema() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("given.parquet")
        try ParquetFixtures.write(ParquetFixtures.rows(5), to: path)
        var options = ReadOptions()
        options.schema = Schema(columns: [Column("price", .string), Column("id", .int64)])
        let error = readError(path, options: options)
        #expect(error?.code == .schemaMismatch)
        options.schema = Schema(columns: [Column("price", .decimal(precision: 30, scale: 8))])
        let result = try readFile(path, options: options)
        #expect(result.schema.columns[4].type == .decimal(precision: 30, scale: 8))
        #expect(result.rows[1][4] == .decimal(ExactDecimal(significand: 12_345_678_901 * 10_000, scale: 8)))
    }

    @Test("codecs from Spark-style file names and from whole-file compressions")
    func codecNames() throws {
        #expect(ParquetCodec(fileName: "lake/part-0.snappy.parquet") == .snappy)
        #expect(ParquetCodec(fileName: "prices.gz.parquet") == .gzip)
        #expect(ParquetCodec(fileName: "prices.lz4raw.parquet") == .lz4_raw)
        #expect(ParquetCodec(fileName: "prices.parquet") == nil)
        #expect(ParquetCodec(fileName: "prices.snappy.csv") == nil)
        #expect(ParquetCodec(compression: .zstd) == .zstd)
        #expect(ParquetCodec(compression: .lz4) == .lz4_raw)
        #expect(ParquetCodec(compression: .bzip2) == nil)

        let directory = try TemporaryDirectory()
        let path = directory.file("prices.lz4raw.parquet")
        let writer = try RecordWriters.open(path: path, schema: ParquetFixtures.schema)
        try writer.write(try RecordBatch(schema: ParquetFixtures.schema, rows: ParquetFixtures.rows(10)))
        try writer.finish()
        #expect(try ParquetSummary(path: path).codecs == ["lz4_raw"])
    }

    @Test("whole-file compression of a Parquet file is refused")
    func noWholeFileCompression() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("prices.parquet.gz")
        let error = sluiceError { _ = try RecordWriters.open(path: path, schema: ParquetFixtures.schema) }
        #expect(error?.code == .invalidRequest)
    }

    @Test("inspect shows the schema, the rows, the row groups, codec and sizes")
    func inspect() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("inspect.parquet")
        try ParquetFixtures.write(
            ParquetFixtures.rows(3_000),
            to: path,
            options: ParquetWriteOptions(codec: .snappy, rowGroupSize: 100_000)
        )
        let inspection = try FileSource.inspect(path: path, sampleSize: 3)
        #expect(inspection.format == .parquet)
        #expect(inspection.schema == ParquetFixtures.schema)
        #expect(inspection.rowCount == 3_000)
        #expect(inspection.sampleRows == ParquetFixtures.rows(3))
        let summary = try #require(inspection.parquet)
        #expect(summary.rowGroups.count > 1)
        #expect(summary.rowGroups.map(\.rowCount).reduce(0, +) == 3_000)
        #expect(summary.codecs == ["snappy"])
        #expect(summary.createdBy == "sluice")
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(summary.fileSize == Int64(size ?? 0))
        #expect(summary.rowGroups.allSatisfy { $0.compressedSize < $0.uncompressedSize })
    }
}
