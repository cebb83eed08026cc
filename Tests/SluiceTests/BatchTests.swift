import Foundation
import Testing

@testable import Sluice

@Suite("Batches, builders and schema inference")
struct BatchTests {
    static let schema = Schema(columns: [
        Column("symbol", .string), Column("close", .decimal(precision: 18, scale: 4)), Column("volume", .int64),
    ])

    func append(_ builder: inout RecordBatchBuilder, _ text: String, column: Int, line: Int) throws(RowReject) {
        var bytes = Array(text.utf8)
        let count = bytes.count
        try bytes.withUnsafeMutableBufferPointer { (buffer) throws(RowReject) in
            try builder.append(
                text: UnsafeRawBufferPointer(start: buffer.baseAddress, count: count),
                column: column,
                line: line,
                position: 6
            )
        }
    }

    @Test func builderParsesTextIntoTypedColumns() throws {
        var builder = RecordBatchBuilder(schema: Self.schema, source: "p.csv")
        try append(&builder, "AAPL", column: 0, line: 2)
        try append(&builder, "185.64", column: 1, line: 2)
        builder.appendNull(column: 2)
        builder.endRow(line: 2)
        let batch = builder.build()
        #expect(batch.count == 1)
        #expect(batch.row(0) == [.string("AAPL"), .decimal(ExactDecimal("185.6400")!), .null])
        #expect(batch.origin(of: 0) == RecordOrigin(source: "p.csv", line: 2))
    }

    @Test func builderRejectsTextInADecimalColumnNamingLineAndColumn() throws {
        var builder = RecordBatchBuilder(schema: Self.schema, source: "p.csv")
        try append(&builder, "AAPL", column: 0, line: 7)
        let reject = #expect(throws: RowReject.self) { try append(&builder, "abc", column: 1, line: 7) }
        #expect(reject?.description == "p.csv:7:6: column 'close': expected decimal(18,4), found \"abc\"")
        builder.rejectRow(try #require(reject))
        try append(&builder, "MSFT", column: 0, line: 8)
        try append(&builder, "1", column: 1, line: 8)
        try append(&builder, "10", column: 2, line: 8)
        builder.endRow(line: 8)
        let batch = builder.build()
        #expect(batch.count == 1)
        #expect(batch.rejects.count == 1)
        #expect(batch.row(0) == [.string("MSFT"), .decimal(ExactDecimal("1.0000")!), .int64(10)])
    }

    @Test func builderRejectsOutOfRangeAndExtraDecimals() throws {
        var builder = RecordBatchBuilder(schema: Self.schema, source: "p.csv")
        builder.appendNull(column: 0)
        let tooBig = #expect(throws: RowReject.self) { try append(&builder, "123456789012345.5", column: 1, line: 3) }
        #expect(tooBig?.reason == "\"123456789012345.5\" is out of range for decimal(18,4)")
        let tooPrecise = #expect(throws: RowReject.self) { try append(&builder, "1.23456", column: 1, line: 3) }
        #expect(tooPrecise?.reason == "\"1.23456\" has more decimal places than decimal(18,4) allows")
        let overflow = #expect(throws: RowReject.self) {
            try append(&builder, "99999999999999999999", column: 2, line: 3)
        }
        #expect(overflow?.reason == "expected int64, found \"99999999999999999999\"")
    }

    @Test func conformingFillsMissingColumnsAndReorders() throws {
        let input = Schema(columns: [Column("volume", .int64), Column("symbol", .string)])
        let batch = try RecordBatch(schema: input, rows: [[.int64(5), .string("A")]])
        let conformed = try batch.conformed(to: Self.schema)
        #expect(conformed.row(0) == [.string("A"), .null, .int64(5)])
    }

    @Test func conformingRefusesUnknownColumns() throws {
        let input = Schema(columns: [Column("extra", .int64)])
        let batch = try RecordBatch(schema: input, rows: [[.int64(5)]], source: "in.csv")
        let error = #expect(throws: SluiceError.self) { try batch.conformed(to: Self.schema) }
        #expect(error?.message == "in.csv: column 'extra' is not in the table's schema")
    }

    @Test func conformingConvertsIntegersToDecimalsExactly() throws {
        let input = Schema(columns: [Column("close", .int64)])
        let batch = try RecordBatch(schema: input, rows: [[.int64(12)]])
        #expect(try batch.conformed(to: Self.schema).row(0)[1] == .decimal(ExactDecimal("12.0000")!))
    }

    @Test func inferenceChoosesTheNarrowestType() {
        var inference = SchemaInference(names: ["flag", "n", "price", "ratio", "day", "at", "name", "empty"])
        inference.observe(["true", "42", "185.6400", "1e3", "2024-01-02", "2024-01-02T10:00:00Z", "Apple", nil])
        inference.observe(["false", "-7", "1.5", "2.5", "2024-01-03", "2024-01-03 11:00:00", "Microsoft", ""])
        let types = inference.schema().columns.map(\.type)
        #expect(
            types == [
                .bool, .int64, .decimal(precision: 18, scale: 4), .double, .date, .timestamp, .string,
                .string,
            ]
        )
    }

    @Test func inferenceWidensDecimalsPastEighteenDigits() {
        var inference = SchemaInference(names: ["big"])
        inference.observe(["12345678901234567890.5"])
        #expect(inference.schema().columns[0].type == .decimal(precision: 38, scale: 1))
    }

    @Test func schemaFingerprintChangesWithTypesAndKey() {
        let a = Self.schema
        #expect(a.fingerprint.count == 16)
        #expect(a.fingerprint == Schema(columns: a.columns).fingerprint)
        #expect(a.fingerprint != a.withKey(["symbol"]).fingerprint)
        var b = a
        b.columns[1].type = .decimal(precision: 18, scale: 2)
        #expect(a.fingerprint != b.fingerprint)
    }
}
