import Crypto
import Testing

@testable import Sluice

@Suite("Content checksums")
struct ChecksumTests {
    static let schema = Schema(
        columns: [
            Column("symbol", .string), Column("date", .date), Column("close", .decimal(precision: 18, scale: 4)),
        ],
        keyColumns: ["symbol", "date"]
    )

    static func batch(_ rows: [[Value]], schema: Schema = schema) throws -> RecordBatch {
        try RecordBatch(schema: schema, rows: rows)
    }

    static let rows: [[Value]] = [
        [.string("AAPL"), .date(CivilDate("2024-01-02")!), .decimal(ExactDecimal("185.6400")!)],
        [.string("MSFT"), .date(CivilDate("2024-01-02")!), .decimal(ExactDecimal("370.8700")!)],
        [.string("AAPL"), .date(CivilDate("2024-01-03")!), .null],
    ]

    @Test func checksumIsOrderIndependent() throws {
        let digester = RowDigester(schema: Self.schema)
        let forward = digester.checksum(of: try Self.batch(Self.rows))
        let backward = digester.checksum(of: try Self.batch(Self.rows.reversed()))
        #expect(forward == backward)
        #expect(forward != .zero)
    }

    @Test func checksumIsDefinedOnValuesNotColumnOrder() throws {
        let reordered = Schema(
            columns: [
                Column("close", .decimal(precision: 18, scale: 4)), Column("symbol", .string),
                Column("date", .date),
            ],
            keyColumns: ["symbol", "date"]
        )
        let rows = Self.rows.map { [$0[2], $0[0], $0[1]] }
        #expect(
            RowDigester(schema: reordered).checksum(of: try Self.batch(rows, schema: reordered))
                == RowDigester(schema: Self.schema).checksum(of: try Self.batch(Self.rows))
        )
    }

    @Test func decimalsDigestAtTheColumnScale() throws {
        let digester = RowDigester(schema: Self.schema)
        let a = digester.digest(values: [.string("X"), .date(CivilDate("2024-01-02")!), .decimal(ExactDecimal("1.5")!)])
        let b = digester.digest(values: [
            .string("X"), .date(CivilDate("2024-01-02")!), .decimal(ExactDecimal("1.5000")!),
        ])
        #expect(a == b)
    }

    @Test func nullAndEmptyStringDiffer() {
        let schema = Schema(columns: [Column("a", .string), Column("b", .string)])
        let digester = RowDigester(schema: schema)
        #expect(
            digester.digest(values: [.null, .string("x")]) != digester.digest(values: [.string(""), .string("x")])
        )
        #expect(
            digester.digest(values: [.string("ab"), .string("")])
                != digester.digest(values: [.string("a"), .string("b")])
        )
    }

    @Test func batchAndValueDigestsAgree() throws {
        let digester = RowDigester(schema: Self.schema)
        let batch = try Self.batch(Self.rows)
        var buffer: [UInt8] = []
        for row in 0..<batch.count {
            #expect(digester.digest(row: row, of: batch, buffer: &buffer) == digester.digest(values: Self.rows[row]))
        }
    }

    @Test func additionAndSubtractionAreInverse() throws {
        let digester = RowDigester(schema: Self.schema)
        let all = digester.checksum(of: try Self.batch(Self.rows))
        let firstTwo = digester.checksum(of: try Self.batch(Array(Self.rows.prefix(2))))
        let last = digester.digest(values: Self.rows[2])
        #expect(firstTwo + last == all)
        #expect(all - last == firstTwo)
        #expect(ContentChecksum.zero - last + last == .zero)
    }

    @Test func duplicatesCount() throws {
        let digester = RowDigester(schema: Self.schema)
        let once = digester.checksum(of: try Self.batch([Self.rows[0]]))
        let twice = digester.checksum(of: try Self.batch([Self.rows[0], Self.rows[0]]))
        #expect(once != twice)
        #expect(once + once == twice)
    }

    @Test func hexRoundTrips() throws {
        let checksum = RowDigester(schema: Self.schema).checksum(of: try Self.batch(Self.rows))
        #expect(checksum.hex.count == 64)
        #expect(ContentChecksum(hex: checksum.hex) == checksum)
        #expect(ContentChecksum.zero.hex == String(repeating: "0", count: 64))
        #expect(ContentChecksum(hex: "zz") == nil)
    }

    @Test func subtractionBorrowsAcrossLimbs() {
        let one = ContentChecksum(hex: String(repeating: "0", count: 63) + "1")!
        let allOnes = ContentChecksum.zero - one
        #expect(allOnes.hex == String(repeating: "f", count: 64))
        #expect(allOnes + one == .zero)
    }

    /// Pins the canonical encoding: a change to it is a file-format change and must be deliberate.
    @Test func canonicalDigestIsStable() {
        let schema = Schema(columns: [Column("symbol", .string), Column("close", .decimal(precision: 18, scale: 4))])
        let digest = RowDigester(schema: schema).digest(values: [.string("AAPL"), .decimal(ExactDecimal("1.5")!)])
        // close: tag 4, "1.5000"; symbol: tag 5, "AAPL" — names in byte order, length-prefixed.
        var encoding: [UInt8] = []
        for (name, tag, text) in [("close", UInt8(4), "1.5000"), ("symbol", UInt8(5), "AAPL")] {
            encoding += [0, 0, 0, UInt8(name.utf8.count)] + Array(name.utf8) + [tag]
            encoding += [0, 0, 0, UInt8(text.utf8.count)] + Array(text.utf8)
        }
        #expect(digest == ContentChecksum(digest: sha256(encoding)))
    }
}

func sha256(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }
