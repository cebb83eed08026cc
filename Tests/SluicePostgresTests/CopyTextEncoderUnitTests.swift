import NIOCore
import Sluice
import SluicePostgres
import Testing

@Suite("COPY text encoding")
struct CopyTextEncoderUnitTests {
    private func encode(_ schema: Schema, _ rows: [[Value]]) throws -> String {
        let batch = try RecordBatch(schema: schema, rows: rows)
        var encoder = CopyTextEncoder()
        var buffer = ByteBufferAllocator().buffer(capacity: 256)
        for row in 0..<batch.count { encoder.appendRow(row, of: batch, to: &buffer) }
        return String(buffer: buffer)
    }

    @Test func everyType() throws {
        let schema = Schema(columns: [
            Column("b", .bool), Column("i", .int64), Column("d", .double),
            Column("p", .decimal(precision: 18, scale: 4)), Column("s", .string), Column("day", .date),
            Column("ts", .timestamp), Column("raw", .bytes), Column("j", .json),
        ])
        let text = try encode(
            schema,
            [
                [
                    .bool(true), .int64(-42), .double(0.1), .decimal(ExactDecimal("123.45")!), .string("AAPL"),
                    .date(CivilDate("2024-01-02")!), .timestamp(Timestamp("2024-01-02T14:30:00.000001Z")!),
                    .bytes([0x00, 0xAB, 0xFF]), .json(#"{"a": 1}"#),
                ]
            ]
        )
        #expect(
            text
                == "t\t-42\t0.1\t123.4500\tAAPL\t2024-01-02\t2024-01-02T14:30:00.000001Z\t\\\\x00abff\t{\"a\": 1}\n"
        )
    }

    @Test func nullIsBackslashN() throws {
        let schema = Schema(columns: [Column("a", .string), Column("b", .int64), Column("c", .bytes)])
        #expect(try encode(schema, [[.null, .null, .null]]) == "\\N\t\\N\t\\N\n")
    }

    @Test func escapesBackslashTabNewlineAndCarriageReturn() throws {
        let schema = Schema(columns: [Column("s", .string)])
        #expect(try encode(schema, [[.string("a\\b\tc\nd\re")]]) == "a\\\\b\\tc\\nd\\re\n")
        #expect(try encode(schema, [[.string("\\N")]]) == "\\\\N\n", "a literal \\N is not NULL")
        #expect(try encode(schema, [[.string("")]]) == "\n", "an empty string is not NULL")
        #expect(try encode(schema, [[.string("Zürich ✓")]]) == "Zürich ✓\n")
    }

    @Test func negativeDecimalsAndSpecialDoubles() throws {
        let schema = Schema(columns: [Column("p", .decimal(precision: 10, scale: 2)), Column("d", .double)])
        #expect(try encode(schema, [[.decimal(ExactDecimal("-0.05")!), .double(.infinity)]]) == "-0.05\tInfinity\n")
        #expect(try encode(schema, [[.decimal(ExactDecimal("7")!), .double(-.infinity)]]) == "7.00\t-Infinity\n")
        #expect(try encode(schema, [[.null, .double(.nan)]]) == "\\N\tNaN\n")
    }

    @Test func rowDigestsAsBytea() {
        var buffer = ByteBufferAllocator().buffer(capacity: 80)
        CopyTextEncoder.appendDigest(ContentChecksum(hex: String(repeating: "0f", count: 32))!, to: &buffer)
        #expect(String(buffer: buffer) == "\\\\x" + String(repeating: "0f", count: 32))
    }
}
