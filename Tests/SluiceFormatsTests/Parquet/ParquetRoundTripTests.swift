import Foundation
import Sluice
import SluiceTesting
import Testing

@testable import SluiceFormats

@Suite("Parquet: what Sluice writes, Sluice, pyarrow and duckdb read back exactly")
struct ParquetRoundTripTests {
    @Test("every type with every codec, over several row groups and pages", arguments: ParquetCodec.allCases)
    func everyTypeEveryCodec(codec: ParquetCodec) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("all-\(codec.rawValue).parquet")
        let rows = ParquetFixtures.rows(2_500)
        var options = ParquetWriteOptions(codec: codec, rowGroupSize: 64 * 1024, pageSize: 8 * 1024)
        options.dictionaryPageSize = 2 * 1024
        try ParquetFixtures.write(rows, to: path, options: options, batchSize: 700)

        let read = try ParquetFixtures.read(path)
        #expect(read.schema == ParquetFixtures.schema)
        #expect(read.rows == rows)
        #expect(read.lines == Array(1...rows.count))

        let summary = try ParquetSummary(path: path)
        #expect(summary.rowGroups.count > 1)
        #expect(summary.rowCount == Int64(rows.count))
        #expect(summary.codecs == [codec == .none ? "uncompressed" : codec.rawValue])

        let python = try ParquetFixtures.readWithPython(path)
        let expected = rows.map(ParquetFixtures.canonical)
        #expect(python.pyarrowRows == expected)
        #expect(python.duckdbRows == expected)
    }

    @Test("pyarrow sees the Sluice types as their Arrow equivalents")
    func arrowTypes() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("types.parquet")
        try ParquetFixtures.write(ParquetFixtures.rows(10), to: path)
        let types = try ParquetFixtures.readWithPython(path).pyarrowTypes
        #expect(types.count == 12)
        #expect(
            Array(types.prefix(9)) == [
                "int64", "bool", "double", "decimal128(9, 2)", "decimal128(18, 4)", "decimal128(38, 10)", "string",
                "date32[day]", "timestamp[us, tz=UTC]",
            ]
        )
        #expect(types[9] == "binary")
        #expect(types[10] == "string" || types[10].contains("json"))
        #expect(types[11] == "string")
    }

    @Test("without dictionaries, with PLAIN only, the values are the same", arguments: [ParquetCodec.none, .zstd])
    func plainOnly(codec: ParquetCodec) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("plain.parquet")
        let rows = ParquetFixtures.rows(1_200)
        try ParquetFixtures.write(
            rows,
            to: path,
            options: ParquetWriteOptions(codec: codec, pageSize: 4 * 1024, dictionary: false)
        )
        #expect(try ParquetFixtures.read(path).rows == rows)
        let python = try ParquetFixtures.readWithPython(path)
        #expect(python.pyarrowRows == rows.map(ParquetFixtures.canonical))
        #expect(python.duckdbRows == rows.map(ParquetFixtures.canonical))
    }

    @Test("one large batch is still cut into row groups of the configured size")
    func largeBatch() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("large.parquet")
        let rows = ParquetFixtures.rows(40_000)
        try ParquetFixtures.write(
            rows,
            to: path,
            options: ParquetWriteOptions(rowGroupSize: 1 << 20),
            batchSize: rows.count
        )
        let summary = try ParquetSummary(path: path)
        #expect(summary.rowGroups.count > 2)
        #expect(summary.rowGroups.dropLast().allSatisfy { $0.rowCount % 8192 == 0 })
        #expect(try ParquetFixtures.read(path).rows == rows)
    }

    @Test("a file with no rows has the schema and reads as no rows")
    func emptyFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("empty.parquet")
        try ParquetFixtures.write([], to: path)
        let read = try ParquetFixtures.read(path)
        #expect(read.schema == ParquetFixtures.schema)
        #expect(read.rows.isEmpty)
        let python = try ParquetFixtures.readWithPython(path)
        #expect(python.pyarrowTypes.count == 12)
        #expect(python.pyarrowRows.isEmpty)
        #expect(python.duckdbRows.isEmpty)
    }

    @Test("extreme values: decimal(38) and Int64 bounds, an all-NULL column, dates far from 1970")
    func extremes() throws {
        let schema = Schema(columns: [
            Column("wide", .decimal(precision: 38, scale: 0)), Column("big", .int64),
            Column("tiny", .decimal(precision: 1, scale: 1)),
            Column("nothing", .string), Column("when", .date),
        ])
        let largest = Int128.decimalPower(38) - 1
        let rows: [[Value]] = [
            [
                .decimal(ExactDecimal(significand: largest, scale: 0)), .int64(.max), .dec("0.9"), .null,
                .day("1900-01-01"),
            ],
            [
                .decimal(ExactDecimal(significand: -largest, scale: 0)), .int64(.min), .dec("-0.9"), .null,
                .day("2262-04-11"),
            ],
            [.decimal(ExactDecimal(significand: 0, scale: 0)), .int64(0), .dec("0.0"), .null, .day("1970-01-01")],
        ]
        let directory = try TemporaryDirectory()
        let path = directory.file("extremes.parquet")
        try ParquetFixtures.write(rows, schema: schema, to: path)
        #expect(try ParquetFixtures.read(path).rows == rows)
        let python = try ParquetFixtures.readWithPython(path)
        #expect(python.pyarrowRows == rows.map(ParquetFixtures.canonical))
        #expect(python.duckdbRows == rows.map(ParquetFixtures.canonical))
    }

    @Test("the stored schema restores types, nullability and keys; a requested schema picks and converts columns")
    func schemaRoundTrip() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("schema.parquet")
        try ParquetFixtures.write(ParquetFixtures.rows(20), to: path)
        #expect(try ParquetReader.schema(of: path) == ParquetFixtures.schema)
        #expect(try ParquetReader.schema(of: path).keyColumns == ["id"])

        let requested = Schema(columns: [
            Column("price", .decimal(precision: 20, scale: 6)), Column("missing", .string), Column("id", .double),
        ])
        let read = try ParquetFixtures.read(path, schema: requested)
        #expect(read.rows.count == 20)
        #expect(read.rows[1][0] == .decimal(ExactDecimal(significand: 12_345_678_901 * 100, scale: 6)))
        #expect(read.rows.allSatisfy { $0[1] == .null })
        #expect(read.rows[0][2] == .double(-1000))

        let wrong = Schema(columns: [Column("name", .date)])
        let error = sluiceError { _ = try ParquetReader(path: path, schema: wrong) }
        #expect(error?.code == .schemaMismatch)
        #expect(
            error?.message == "\(path): column 'name' is BYTE_ARRAY (string) in the file and cannot be read as date"
        )
    }

    @Test("statistics: null counts and min/max as pyarrow reads them")
    func statistics() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("stats.parquet")
        try ParquetFixtures.write(ParquetFixtures.rows(100), to: path)
        let script = #"""
            import sys, pyarrow.parquet as pq
            meta = pq.ParquetFile(sys.argv[1]).metadata.row_group(0)
            for index in range(meta.num_columns):
                column = meta.column(index)
                stats = column.statistics
                bounds = (str(stats.min), str(stats.max)) if stats.has_min_max else ("-", "-")
                print(column.path_in_schema, stats.null_count, *bounds, sep="\t")
            """#
        let output = try PythonReader.run(script, arguments: [path], in: URL(fileURLWithPath: directory.path))
        let lines = output.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        let byName = Dictionary(uniqueKeysWithValues: lines.map { ($0[0], Array($0.dropFirst())) })
        #expect(byName["id"] == ["0", "-1000", "-307"])
        #expect(byName["flag"] == ["25", "False", "True"])
        #expect(byName["ratio"]?[0] == "25")
        #expect(byName["symbol"] == ["0", "AAPL", "Ä-Ö"])
        let prices = ParquetFixtures.rows(100).compactMap { $0[4].decimalValue }
        #expect(byName["price"]?[1] == prices.min { $0.significand < $1.significand }?.description)
        #expect(byName["price"]?[2] == prices.max { $0.significand < $1.significand }?.description)
        #expect(byName["blob"] == ["25", "-", "-"])
    }
}
