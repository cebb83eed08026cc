import Foundation
import Sluice
import SluiceFiles
import SluiceFormats
import SluiceTesting
import Testing

/// Every text format × every codec through the file target: the rows come back exact, the checksum is the one
/// every target computes, each file passes its codec's own test tool, and duckdb reads what we wrote.
@Suite("File target formats and codecs")
struct FileFormatRoundTripTests {
    static let formats: [FileFormat] = [.csv, .tsv, .json, .jsonl]
    static let codecs: [Compression] = Compression.allCases

    /// The checksum of ``Typed/rows``: the same in SQLite and PostgreSQL (see the conformance suite).
    static let typedChecksum: String = {
        var sum = ContentChecksum.zero
        let digester = RowDigester(schema: Typed.schema)
        for row in Typed.rows { sum.add(digester.digest(values: row)) }
        return sum.hex
    }()

    @Test("every type round-trips exactly through every format and codec", arguments: formats, codecs)
    func roundTrip(format: FileFormat, codec: Compression) async throws {
        try await Lake.with(output: FileOutputOptions(format: format, compression: codec)) { lake in
            let result = try await lake.load(Typed.rows, .upsert, key: ["id"], table: "typed", schema: Typed.schema)
            #expect(result.checksum == Self.typedChecksum)
            let contents = try await lake.contents("typed")
            #expect(contents == texts(Typed.rows), "read back: \(contents)")
            let files = lake.dataFiles("typed")
            let suffix = codec == .none ? format.fileExtension : format.fileExtension + "." + codec.fileExtension
            #expect(files.count == 1 && files[0].hasSuffix("." + suffix))
            if codec != .none {
                let tool = ["gzip": "gzip", "bzip2": "bzip2", "lz4": "lz4", "zstd": "zstd"][codec.rawValue]!
                let path = lake.folder("typed").appendingPathComponent(files[0]).path
                let check = try SluiceProcess.runTool(tool, ["-t", path], in: lake.directory)
                #expect(check.status == 0, "\(tool) -t: \(check.error)")
            }
        }
    }

    @Test("duckdb reads the CSV and JSON Lines files with the values we wrote", arguments: [FileFormat.csv, .jsonl])
    func duckdbReadsOutputs(format: FileFormat) async throws {
        try await Lake.with(output: FileOutputOptions(format: format, compression: .gzip)) { lake in
            let rows = Quotes.rows(months: 1...3, symbols: 4, close: "12.3400")
            try await lake.load(rows, .upsert) { $0.partitioning = Partitioning(column: "date", granularity: .month) }
            let reader = format == .csv ? "read_csv" : "read_json"
            let glob = lake.folder().path + "/*/*/*." + format.fileExtension + ".gz"
            let script = """
                import duckdb, sys
                rows = duckdb.sql(f"SELECT symbol, CAST(date AS VARCHAR), CAST(close AS DECIMAL(18,4)), volume, CAST(month AS INTEGER) "
                                  f"FROM \(reader)('{sys.argv[1]}', hive_partitioning=true) ORDER BY ALL").fetchall()
                for row in rows:
                    print("|".join(str(value) for value in row))
                """
            let output = try PythonReader.run(script, arguments: [glob], in: lake.directory)
            let expected = rows.map { row -> String in
                let month = Int(row[1].text!.split(separator: "-")[1])!
                return [row[0].text!, row[1].text!, row[2].text!, row[3].text!, String(month)].joined(separator: "|")
            }.sorted()
            #expect(output.split(separator: "\n").map(String.init) == expected)
        }
    }

    @Test("every type round-trips through Parquet with every page codec", arguments: ParquetCodec.allCases)
    func parquetRoundTrip(codec: ParquetCodec) async throws {
        var output = FileOutputOptions(format: .parquet)
        var parquet = ParquetWriteOptions()
        parquet.codec = codec
        output.parquet = parquet
        try await Lake.with(output: output) { lake in
            let result = try await lake.load(Typed.rows, .upsert, key: ["id"], table: "typed", schema: Typed.schema)
            #expect(result.checksum == Self.typedChecksum)
            #expect(try await lake.contents("typed") == texts(Typed.rows))
            let manifest = try lake.latestManifest("typed")
            #expect(manifest.files.map(\.compression) == [codec.rawValue])
            #expect(manifest.files.allSatisfy { $0.path.hasSuffix(".parquet") })
        }
    }

    @Test("pyarrow and duckdb read a partitioned Parquet table with the values we wrote")
    func pyarrowAndDuckdbReadParquet() async throws {
        try await Lake.with(output: FileOutputOptions()) { lake in
            let rows = Quotes.rows(months: 1...3, symbols: 4, close: "12.3400")
            try await lake.load(rows, .upsert) { $0.partitioning = Partitioning(column: "date", granularity: .month) }
            let script = """
                import duckdb, pyarrow.dataset as ds, sys
                table = ds.dataset(sys.argv[1], format="parquet", partitioning="hive").to_table()
                arrow = sorted(f"{s}|{d}|{c}|{v}|{m}" for s, d, c, v, m in zip(*[table[n].to_pylist()
                    for n in ["symbol", "date", "close", "volume", "month"]]))
                duck = duckdb.sql(f"SELECT symbol, CAST(date AS VARCHAR), CAST(close AS VARCHAR), volume, "
                                  f"CAST(month AS INTEGER) FROM read_parquet('{sys.argv[1]}/*/*/*.parquet', "
                                  f"hive_partitioning=true) ORDER BY ALL").fetchall()
                print("\\n".join(arrow))
                print("--")
                print("\\n".join("|".join(str(v) for v in row) for row in duck))
                """
            let output = try PythonReader.run(script, arguments: [lake.folder().path], in: lake.directory)
            let parts = output.components(separatedBy: "--\n")
            let expected = rows.map { row -> String in
                let month = Int(row[1].text!.split(separator: "-")[1])!
                return [row[0].text!, row[1].text!, row[2].text!, row[3].text!, String(month)].joined(separator: "|")
            }.sorted()
            #expect(parts.count == 2)
            #expect(parts.first?.split(separator: "\n").map(String.init) == expected)
            #expect(parts.last?.split(separator: "\n").map(String.init) == expected)
        }
    }
}
