import Foundation
import Sluice
import SluiceTesting
import Testing

@testable import SluiceFormats

@Suite("Parquet: files written by pyarrow read by Sluice")
struct ParquetInteropTests {
    struct Layout: Sendable, CustomStringConvertible {
        var compression: String
        var dictionary: Bool
        var pageVersion: String
        var description: String { "\(compression) dictionary=\(dictionary) pages v\(pageVersion)" }
    }

    static let layouts = [
        Layout(compression: "snappy", dictionary: true, pageVersion: "1.0"),
        Layout(compression: "zstd", dictionary: true, pageVersion: "2.0"),
        Layout(compression: "gzip", dictionary: false, pageVersion: "1.0"),
        Layout(compression: "none", dictionary: false, pageVersion: "2.0"),
        Layout(compression: "lz4", dictionary: true, pageVersion: "1.0"),
        Layout(compression: "snappy", dictionary: false, pageVersion: "2.0"),
    ]

    /// Writes a table of many Arrow types with pyarrow (several row groups, small pages) and prints what
    /// pyarrow reads back, canonically (the same text as ``ParquetFixtures/canonical(_:)``).
    static let writer = #"""
        import sys, decimal, datetime
        import pyarrow as pa, pyarrow.parquet as pq
        path, compression, dictionary, version = sys.argv[1], sys.argv[2], sys.argv[3] == "1", sys.argv[4]
        n = 3000
        def maybe(i, v): return None if i % 5 == 4 else v
        table = pa.table({
            "i64": pa.array([i * 1000003 - 7 for i in range(n)], pa.int64()),
            "i32": pa.array([maybe(i, i - 1500) for i in range(n)], pa.int32()),
            "f64": pa.array([maybe(i, i / 8 - 100) for i in range(n)], pa.float64()),
            "f32": pa.array([maybe(i, i / 4) for i in range(n)], pa.float32()),
            "flag": pa.array([maybe(i, i % 3 == 0) for i in range(n)], pa.bool_()),
            "sym": pa.array([maybe(i, ["AAPL", "MSFT", "Zürich ✓", ""][i % 4]) for i in range(n)], pa.string()),
            "text": pa.array([maybe(i, "row %d ü" % i) for i in range(n)], pa.string()),
            "d9": pa.array([maybe(i, decimal.Decimal(i * 37 - 5000).scaleb(-2)) for i in range(n)], pa.decimal128(9, 2)),
            "d18": pa.array([decimal.Decimal(i * 123456789 - 10**12).scaleb(-4) for i in range(n)], pa.decimal128(18, 4)),
            "d38": pa.array([maybe(i, decimal.Decimal(i * 10**20 - 7).scaleb(-10)) for i in range(n)], pa.decimal128(38, 10)),
            "day": pa.array([maybe(i, datetime.date(1950, 1, 1) + datetime.timedelta(days=i * 11)) for i in range(n)], pa.date32()),
            "at": pa.array([maybe(i, i * 3600123456 - 10**12) for i in range(n)], pa.timestamp("us", tz="UTC")),
            "ms": pa.array([maybe(i, i * 1000 - 5000) for i in range(n)], pa.timestamp("ms")),
            "blob": pa.array([maybe(i, bytes([i % 256, 0, 255])) for i in range(n)], pa.binary()),
        })
        pq.write_table(table, path, compression=compression, use_dictionary=dictionary, data_page_version=version,
                       row_group_size=1100, data_page_size=2048, write_statistics=True)

        def canon(v):
            if v is None: return "NULL"
            if isinstance(v, bool): return "true" if v else "false"
            if isinstance(v, int): return str(v)
            if isinstance(v, float): return repr(v)
            if isinstance(v, decimal.Decimal): return format(v, "f")
            if isinstance(v, datetime.date): return str((v - datetime.date(1970, 1, 1)).days)
            if isinstance(v, bytes): return "x" + v.hex()
            if isinstance(v, str): return "s" + v.encode("utf-8").hex()
            raise Exception(type(v))
        back = pq.read_table(path)
        columns = []
        for index, field in enumerate(back.schema):
            column = back.column(index)
            if pa.types.is_timestamp(field.type):
                column = column.cast(pa.timestamp("us", tz=field.type.tz)).cast(pa.int64())
            columns.append(column.to_pylist())
        print(pq.ParquetFile(path).metadata.num_row_groups)
        for row in range(back.num_rows):
            print("|".join(canon(column[row]) for column in columns))
        """#

    @Test("every layout pyarrow writes reads to the same values", arguments: layouts)
    func readsPyarrowFiles(layout: Layout) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("pyarrow.parquet")
        let output = try PythonReader.run(
            Self.writer,
            arguments: [path, layout.compression, layout.dictionary ? "1" : "0", layout.pageVersion],
            in: URL(fileURLWithPath: directory.path)
        )
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(Int(lines[0]) ?? 0 > 1)
        let expected = Array(lines.dropFirst())

        let read = try ParquetFixtures.read(path, batchSize: 777)
        #expect(
            read.schema.columns.map(\.type) == [
                .int64, .int64, .double, .double, .bool, .string, .string, .decimal(precision: 9, scale: 2),
                .decimal(precision: 18, scale: 4), .decimal(precision: 38, scale: 10), .date, .timestamp, .timestamp,
                .bytes,
            ]
        )
        #expect(read.schema.columns[0].isNullable)
        #expect(read.rows.count == 3000)
        #expect(read.rows.map(ParquetFixtures.canonical) == expected)
        #expect(read.lines == Array(1...3000))

        let viaFileSource = try readFile(path)
        #expect(viaFileSource.rows == read.rows)
    }
}
