import Foundation
import Sluice
import Testing

@testable import SluiceFormats

@Suite("Schema inference and multi-file streams")
struct SchemaInferenceTests {
    @Test("CSV columns infer int64, decimal(18,4), date, timestamp, bool and string")
    func csvTypes() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "t.csv",
            """
            volume,close,date,at,flag,symbol,ratio
            100,123.4500,2025-08-01,2025-08-01T14:30:00Z,true,AAPL,1e3
            -7,1.5,2025-08-02,2025-08-02 09:00:00,false,MSFT,2.5
            ,,,,,,

            """
        )
        let schema = try FileSource.schema(of: path)
        #expect(
            schema.columns.map(\.type) == [
                .int64, .decimal(precision: 18, scale: 4), .date, .timestamp, .bool, .string, .double,
            ]
        )
    }

    @Test("JSON infers from value texts; nested values make json columns")
    func jsonTypes() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "t.jsonl",
            """
            {"n": 1, "d": 123.4500, "day": "2025-08-01", "at": "2025-08-01T00:00:00Z", "b": true, "s": "x", "j": {"a": 1}}
            {"n": 2, "d": 1.5, "day": null, "b": false, "s": "y", "j": [1]}

            """
        )
        let schema = try FileSource.schema(of: path)
        #expect(schema.columnNames == ["n", "d", "day", "at", "b", "s", "j"])
        #expect(
            schema.columns.map(\.type) == [
                .int64, .decimal(precision: 18, scale: 4), .date, .timestamp, .bool, .string, .json,
            ]
        )
    }

    @Test("inference looks at inferenceRows rows only")
    func inferenceRowsLimit() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("l.csv", "v\n1\n2\nabc\n")
        var options = ReadOptions()
        options.inferenceRows = 2
        let result = try readFile(path, options: options)
        #expect(result.schema.columns == [Column("v", .int64)])
        #expect(result.rows == [[.int64(1)], [.int64(2)]])
        #expect(result.rejects.map(\.reason) == [#"expected int64, found "abc""#])
    }

    @Test("key columns are applied and checked")
    func keyColumns() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("k.csv", "symbol,date\nA,2025-01-01\n")
        var options = ReadOptions()
        options.keyColumns = ["symbol", "date"]
        #expect(try FileSource.schema(of: path, options: options).keyColumns == ["symbol", "date"])
        options.keyColumns = ["nope"]
        #expect(
            sluiceError { _ = try FileSource.schema(of: path, options: options) }?.message
                == "\(path): key column 'nope' is not a column of the file"
        )
    }

    @Test("several files stream one after another, each batch naming its file")
    func multipleFiles() async throws {
        let directory = try TemporaryDirectory()
        let first = try directory.write("a.csv", "symbol,close\nA,1.50\nB,2.50\n")
        let second = directory.file("b.csv.gz")
        try writeCompressed(Array("close,symbol\n3.25,C\n".utf8), to: second, .gzip)
        let (schema, stream) = try FileSource.open(paths: [first, second])
        #expect(schema.columns == [Column("symbol", .string), Column("close", .decimal(precision: 18, scale: 2))])
        var rows: [[Value]] = []
        var sources: [String] = []
        for try await batch in stream {
            sources.append(batch.source)
            for row in 0..<batch.count { rows.append(batch.row(row)) }
        }
        #expect(rows == [[.string("A"), .dec("1.50")], [.string("B"), .dec("2.50")], [.string("C"), .dec("3.25")]])
        #expect(sources == [first, second])
        #expect(stream.byteCounter.bytesTotal == stream.byteCounter.bytesRead)
    }

    @Test("a later file with a column the first lacks is refused before reading")
    func incompatibleFiles() throws {
        let directory = try TemporaryDirectory()
        let first = try directory.write("a.csv", "symbol,close\nA,1.5\n")
        let second = try directory.write("b.csv", "symbol,open\nB,1\n")
        let error = sluiceError { _ = try FileSource.open(paths: [first, second]) }
        #expect(error?.code == .schemaMismatch)
        #expect(error?.message == "\(second): column 'open' is not in the schema of the first file (symbol, close)")
    }

    @Test("inspect shows format, compression, schema, sample rows and the row count")
    func inspect() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("prices.csv")
        try writeCompressed(Array("symbol,close\nA,1.5\nB,x\nC,2.25\n".utf8), to: path, .zstd)
        var options = ReadOptions()
        options.schema = Schema(columns: [
            Column("symbol", .string), Column("close", .decimal(precision: 18, scale: 2)),
        ])
        let inspection = try FileSource.inspect(path: path, options: options, sampleSize: 1)
        #expect(inspection.format == .csv)
        #expect(inspection.compression == .zstd)
        #expect(inspection.schema.columnNames == ["symbol", "close"])
        #expect(inspection.sampleRows == [[.string("A"), .dec("1.50")]])
        #expect(inspection.rowCount == 2)
        #expect(inspection.rejectCount == 1)
    }
}
