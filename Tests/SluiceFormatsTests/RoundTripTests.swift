import Foundation
import Sluice
import Testing

@testable import SluiceFormats

@Suite("Write then read: every format with every compression")
struct RoundTripTests {
    static let schema = Schema(
        columns: [
            Column("symbol", .string), Column("active", .bool), Column("volume", .int64),
            Column("ratio", .double), Column("close", .decimal(precision: 18, scale: 4)),
            Column("day", .date), Column("at", .timestamp), Column("meta", .json),
        ],
        keyColumns: ["symbol"]
    )

    static let rows: [[Value]] = [
        [
            .string("AAPL"), .bool(true), .int64(1_234_567), .double(1.5), .dec("123.4500"), .day("2025-08-01"),
            .timestamp(Timestamp("2025-08-01T14:30:00.123456Z")!), .json(#"{"a":[1,2],"b":"x"}"#),
        ],
        [
            .string("Zürich, \"Nestlé\"\nSA ✓"), .bool(false), .int64(-5), .double(-0.25), .dec("-0.0001"),
            .day("1999-12-31"), .timestamp(Timestamp("1970-01-01T00:00:00Z")!), .json("[true,null]"),
        ],
        [.string(""), .null, .null, .null, .null, .null, .null, .null],
        [
            .string("日本語"), .bool(true), .int64(Int64.max), .double(1e-7), .dec("99999999999999.9999"),
            .day("2024-02-29"), .timestamp(Timestamp("2030-12-31T23:59:59.999999Z")!), .json("\"text\""),
        ],
    ]

    static let cases: [(FileFormat, Compression)] = FileFormat.allCases.flatMap { format in
        Compression.allCases.map { (format, $0) }
    }

    @Test("values written are the values read back", arguments: cases)
    func roundTrip(format: FileFormat, compression: Compression) throws {
        let directory = try TemporaryDirectory()
        let suffix = compression == .none ? "" : "." + compression.fileExtension
        let path = directory.file("prices." + format.fileExtension + suffix)
        let writer = try RecordWriters.open(path: path, schema: Self.schema)
        try writer.write(RecordBatch(schema: Self.schema, rows: Self.rows))
        try writer.finish()

        #expect(try ByteInput(path: path).compression == compression)
        var options = ReadOptions()
        options.schema = Self.schema
        let result = try readFile(path, options: options)
        #expect(result.rejects.isEmpty)
        #expect(result.rows == Self.rows)
        #expect(result.schema.keyColumns == ["symbol"])
        if compression != .none, let status = try runTool([compression.rawValue, "-t", path]) {
            #expect(status == 0)
        }
    }

    @Test("decimals keep their exact text in every format", arguments: FileFormat.allCases)
    func decimalsStayExact(format: FileFormat) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("d." + format.fileExtension)
        let writer = try RecordWriters.open(path: path, schema: Self.schema)
        try writer.write(RecordBatch(schema: Self.schema, rows: Self.rows))
        try writer.finish()
        let text = String(decoding: try readAll(path), as: UTF8.self)
        #expect(text.contains("123.4500"))
        #expect(text.contains("-0.0001"))
    }

    @Test("the written text is canonical")
    func canonicalText() throws {
        let sink = MemorySink()
        let writer = RecordWriters.make(format: .jsonl, schema: Self.schema, output: sink)
        try writer.write(RecordBatch(schema: Self.schema, rows: [Self.rows[0], Self.rows[2]]))
        try writer.finish()
        let lines = String(decoding: sink.bytes, as: UTF8.self).split(separator: "\n")
        #expect(
            lines[0]
                == #"{"symbol":"AAPL","active":true,"volume":1234567,"ratio":1.5,"close":123.4500,"day":"2025-08-01","#
                + #""at":"2025-08-01T14:30:00.123456Z","meta":{"a":[1,2],"b":"x"}}"#
        )
        #expect(
            lines[1]
                == #"{"symbol":"","active":null,"volume":null,"ratio":null,"close":null,"day":null,"at":null,"meta":null}"#
        )
    }

    @Test("CSV quotes only where needed; NULL is empty, the empty string is \"\"")
    func csvQuoting() throws {
        let sink = MemorySink()
        let writer = RecordWriters.make(format: .csv, schema: Self.schema, output: sink)
        try writer.write(RecordBatch(schema: Self.schema, rows: [Self.rows[1], Self.rows[2]]))
        try writer.finish()
        #expect(
            String(decoding: sink.bytes, as: UTF8.self)
                == "symbol,active,volume,ratio,close,day,at,meta\n"
                + "\"Zürich, \"\"Nestlé\"\"\nSA ✓\",false,-5,-0.25,-0.0001,1999-12-31,1970-01-01T00:00:00.000000Z,"
                + "\"[true,null]\"\n"
                + "\"\",,,,,,,\n"
        )
    }

    @Test("an empty JSON array is written for no rows, and reads back as no rows")
    func emptyJSON() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("empty.json")
        let writer = try RecordWriters.open(path: path, schema: Self.schema)
        try writer.finish()
        #expect(try readAll(path) == Array("[]\n".utf8))
        var options = ReadOptions()
        options.schema = Self.schema
        #expect(try readFile(path, options: options).rows.isEmpty)
    }

    @Test("a writer dropped before finish leaves no file")
    func abandonedWriterLeavesNothing() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("never.csv")
        do {
            let writer = try RecordWriters.open(path: path, schema: Self.schema)
            try writer.write(RecordBatch(schema: Self.schema, rows: Self.rows))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
