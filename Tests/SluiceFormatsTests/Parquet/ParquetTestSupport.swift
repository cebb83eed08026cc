import Foundation
import Sluice
import SluiceTesting

@testable import SluiceFormats

/// Fixtures and helpers shared by the Parquet tests.
enum ParquetFixtures {
    /// One column of every Sluice type, nullable and not, with decimals of three physical widths.
    static let schema = Schema(
        columns: [
            Column("id", .int64, isNullable: false), Column("flag", .bool), Column("ratio", .double),
            Column("small", .decimal(precision: 9, scale: 2)), Column("price", .decimal(precision: 18, scale: 4)),
            Column("wide", .decimal(precision: 38, scale: 10)), Column("name", .string), Column("day", .date),
            Column("at", .timestamp), Column("blob", .bytes), Column("doc", .json),
            Column("symbol", .string, isNullable: false),
        ],
        keyColumns: ["id"]
    )

    static let names = ["Zürich ✓", "日本語", "plain", "", "tab\there", "e\u{301}", "\u{E9}", "emoji 🚀"]

    /// `count` deterministic rows: every fourth value NULL in nullable columns, negative and pre-1970 values.
    static func rows(_ count: Int, from start: Int = 0) -> [[Value]] {
        (start..<(start + count)).map { index in
            let isNull = index % 4 == 3
            func nullable(_ value: Value) -> Value { isNull ? .null : value }
            let sign: Int128 = index % 3 == 0 ? -1 : 1
            return [
                .int64(Int64(index) * 7 - 1000),
                nullable(.bool(index % 2 == 0)),
                nullable(.double(Double(index) * 0.25 - 3.5)),
                nullable(.decimal(ExactDecimal(significand: sign * Int128(index * 101 % 99_999_999), scale: 2))),
                nullable(.decimal(ExactDecimal(significand: sign * Int128(index) * 12_345_678_901, scale: 4))),
                nullable(
                    .decimal(
                        ExactDecimal(
                            significand: sign * (Int128(index) * 98_765_432_109_876_543 + 12_345_678_901_234_567_890),
                            scale: 10
                        )
                    )
                ),
                nullable(.string(names[index % names.count] + String(index % 50))),
                nullable(.date(CivilDate(daysSinceEpoch: Int32(index * 37 % 40_000) - 20_000))),
                nullable(.timestamp(Timestamp(microsecondsSinceEpoch: Int64(index) * 3_600_000_123 - 86_400_000_000))),
                nullable(.bytes([UInt8(index % 256), 0, 0xFF, UInt8(index % 7)])),
                nullable(.json(#"{"n":\#(index),"s":"ü"}"#)),
                .string(["AAPL", "MSFT", "GOOG", "Ä-Ö"][index % 4]),
            ]
        }
    }

    /// Writes `rows` as Parquet at `path`, in batches of `batchSize`.
    static func write(
        _ rows: [[Value]],
        schema: Schema = schema,
        to path: String,
        options: ParquetWriteOptions = ParquetWriteOptions(),
        batchSize: Int = 1000
    ) throws {
        let writer = ParquetWriter(schema: schema, output: try FileSink(path: path), options: options)
        var start = 0
        while start < rows.count {
            let slice = Array(rows[start..<min(rows.count, start + batchSize)])
            try writer.write(try RecordBatch(schema: schema, rows: slice))
            start += batchSize
        }
        try writer.finish()
    }

    /// Reads `path` with ``ParquetReader``: its schema, rows and line numbers.
    static func read(
        _ path: String,
        schema: Schema? = nil,
        batchSize: Int = 500
    ) throws -> (
        schema: Schema, rows: [[Value]], lines: [Int]
    ) {
        var reader = try ParquetReader(path: path, schema: schema, batchSize: batchSize)
        var rows: [[Value]] = []
        var lines: [Int] = []
        while let batch = try reader.next() {
            for row in 0..<batch.count { rows.append(batch.row(row)) }
            lines += batch.lines
        }
        return (reader.schema, rows, lines)
    }

    /// The text a row's values print as in ``pythonScript``: decimals at their scale, dates as days, timestamps
    /// as microseconds, text and bytes as hex.
    static func canonical(_ row: [Value]) -> String {
        row.map(canonical).joined(separator: "|")
    }

    static func canonical(_ value: Value) -> String {
        switch value {
        case .null: return "NULL"
        case .bool(let bool): return bool ? "true" : "false"
        case .int64(let number): return String(number)
        case .double(let number): return "\(number)"
        case .decimal(let decimal): return decimal.description
        case .string(let text), .json(let text): return "s" + hex(Array(text.utf8))
        case .date(let date): return String(date.daysSinceEpoch)
        case .timestamp(let timestamp): return String(timestamp.microsecondsSinceEpoch)
        case .bytes(let bytes): return "x" + hex(bytes)
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// What pyarrow and duckdb read from a file: pyarrow's column types and both readers' canonical rows.
    struct PythonView {
        var pyarrowTypes: [String]
        var pyarrowRows: [String]
        var duckdbRows: [String]
    }

    /// Reads `path` with pyarrow and with duckdb.
    static func readWithPython(_ path: String) throws -> PythonView {
        let directory = URL(fileURLWithPath: (path as NSString).deletingLastPathComponent)
        let output = try PythonReader.run(pythonScript, arguments: [path], in: directory)
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let header = lines.first, header.hasPrefix("pyarrow\t"),
            let split = lines.firstIndex(of: "duckdb")
        else { throw SluiceError(.io, "unexpected python output: \(output.prefix(500))") }
        return PythonView(
            pyarrowTypes: header.split(separator: "\t").dropFirst().map(String.init),
            pyarrowRows: Array(lines[1..<split]),
            duckdbRows: Array(lines[(split + 1)...])
        )
    }

    /// Prints `pyarrow<TAB>type<TAB>type…`, a canonical line per row as pyarrow reads it, `duckdb`, then a
    /// canonical line per row as duckdb reads it.
    static let pythonScript = #"""
        import sys, decimal, datetime
        import pyarrow as pa, pyarrow.parquet as pq, duckdb

        def canon(v):
            if v is None: return "NULL"
            if isinstance(v, bool): return "true" if v else "false"
            if isinstance(v, int): return str(v)
            if isinstance(v, float): return repr(v)
            if isinstance(v, decimal.Decimal): return format(v, "f")
            if isinstance(v, datetime.datetime): raise Exception("unexpected datetime")
            if isinstance(v, datetime.date): return str((v - datetime.date(1970, 1, 1)).days)
            if isinstance(v, (bytes, bytearray)): return "x" + bytes(v).hex()
            if isinstance(v, str): return "s" + v.encode("utf-8").hex()
            raise Exception("unexpected %r" % type(v))

        path = sys.argv[1]
        table = pq.read_table(path)
        columns = []
        for index, field in enumerate(table.schema):
            column = table.column(index)
            if pa.types.is_timestamp(field.type):
                column = column.cast(pa.timestamp("us", tz=field.type.tz)).cast(pa.int64())
            columns.append(column.to_pylist())
        print("\t".join(["pyarrow"] + [str(field.type) for field in table.schema]))
        for row in range(table.num_rows):
            print("|".join(canon(column[row]) for column in columns))
        print("duckdb")
        connection = duckdb.connect()
        described = connection.execute("DESCRIBE SELECT * FROM read_parquet(?)", [path]).fetchall()
        expressions = []
        for name, kind, *_ in described:
            quoted = '"' + name.replace('"', '""') + '"'
            expressions.append("epoch_us(%s)" % quoted if kind.startswith("TIMESTAMP") else quoted)
        query = "SELECT %s FROM read_parquet(?)" % ", ".join(expressions)
        for row in connection.execute(query, [path]).fetchall():
            print("|".join(canon(value) for value in row))
        """#
}
