import Sluice
import Testing

@testable import SluicePostgres

/// The Bloom filter that spares the server its duplicate-key check: a repeated key is always flagged (whatever
/// its spelling), and new keys almost never are.
@Suite("Repeated key filter")
struct RepeatedKeyFilterTests {
    static let schema = Schema(
        columns: [
            Column("symbol", .string), Column("price", .decimal(precision: 18, scale: 4)), Column("ratio", .double),
            Column("day", .date),
        ],
        keyColumns: ["symbol", "price", "ratio", "day"]
    )

    func batch(_ rows: [[Value]]) throws -> RecordBatch {
        var builder = RecordBatchBuilder(schema: Self.schema, capacity: rows.count)
        for row in rows {
            for (column, value) in row.enumerated() { try builder.append(value, column: column) }
            builder.endRow(line: 0)
        }
        return builder.build()
    }

    func flags(_ rows: [[Value]], log2Bits: Int = 27) throws -> [Bool] {
        var filter = RepeatedKeyFilter(keyIndices: [0, 1, 2, 3], log2Bits: log2Bits)
        let rows = try batch(rows)
        return (0..<rows.count).map { filter.insert(row: $0, of: rows) }
    }

    @Test func aRepeatedKeyIsAlwaysFlaggedWhateverItsSpelling() throws {
        let day = Value.date(CivilDate(year: 2024, month: 1, day: 2)!)
        let flagged = try flags([
            [.string("AAPL"), .decimal(ExactDecimal("1.5")!), .double(0.0), day],
            [.string("AAPL"), .decimal(ExactDecimal("1.5000")!), .double(-0.0), day],
            [.string("MSFT"), .decimal(ExactDecimal("2")!), .double(.nan), day],
            [.string("MSFT"), .decimal(ExactDecimal("2.00")!), .double(-.nan), day],
        ])
        #expect(flagged == [false, true, false, true])
    }

    @Test func keyPartsAreDelimited() throws {
        var filter = RepeatedKeyFilter(keyIndices: [0, 1], log2Bits: 20)
        let schema = Schema(columns: [Column("a", .string), Column("b", .string)], keyColumns: ["a", "b"])
        var builder = RecordBatchBuilder(schema: schema)
        for (a, b) in [("a", "bc"), ("ab", "c"), ("a", "bc")] {
            try builder.append(.string(a), column: 0)
            try builder.append(.string(b), column: 1)
            builder.endRow(line: 0)
        }
        let rows = builder.build()
        #expect((0..<3).map { filter.insert(row: $0, of: rows) } == [false, false, true])
    }

    @Test func newKeysAreRarelyFlagged() throws {
        let rows = (0..<100_000).map { index -> [Value] in
            [
                .string("S\(index % 500)"), .decimal(ExactDecimal("\(index).25")!), .double(1),
                .date(CivilDate(daysSinceEpoch: Int32(index))),
            ]
        }
        let flagged = try flags(rows)
        #expect(flagged.filter { $0 }.count <= 5)
        // A small filter fills up: more false positives, still every repeat flagged.
        let small = try flags(rows + rows.prefix(1000), log2Bits: 16)
        #expect(small.suffix(1000).allSatisfy { $0 })
    }
}
