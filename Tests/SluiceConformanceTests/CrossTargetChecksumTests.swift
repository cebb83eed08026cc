import Sluice
import SluiceTesting
import Testing

/// DESIGN §4: the checksum is defined on values, so the same data gives the same checksum in every target.
@Suite("Checksums across targets")
struct CrossTargetChecksumTests {
    /// Every column type, NULLs, an exact decimal with trailing zeros, unicode and a microsecond timestamp.
    static let schema = Schema(
        columns: [
            Column("id", .int64, isNullable: false), Column("flag", .bool), Column("ratio", .double),
            Column("price", .decimal(precision: 18, scale: 4)),
            Column("name", .string), Column("day", .date),
            Column("at", .timestamp), Column("blob", .bytes),
            Column("doc", .json),
        ],
        keyColumns: ["id"]
    )

    static let rows: [[Value]] = [
        [
            .int64(1), .bool(true), .double(0.25), .decimal(ExactDecimal("123.4500")!), .string("Zürich ☃"),
            .date(CivilDate("2024-02-29")!), .timestamp(Timestamp(microsecondsSinceEpoch: 1_709_164_800_123_456)),
            .bytes([0, 1, 254, 255]), .json(#"{"a": [1, 2]}"#),
        ],
        [.int64(2), .null, .null, .null, .null, .null, .null, .null, .null],
        [
            .int64(3), .bool(false), .double(-1e300), .decimal(ExactDecimal("-0.0001")!), .string(""),
            .date(CivilDate("1970-01-01")!), .timestamp(Timestamp(microsecondsSinceEpoch: 0)), .bytes([]),
            .json("[]"),
        ],
    ]

    @Test("the same rows loaded into every target give one checksum and read back the same")
    func sameChecksumEverywhere() async throws {
        var checksums: [String: String] = [:]
        var contents: [String: [[String?]]] = [:]
        for target in ConformanceTarget.all {
            let (checksum, read) = try await target.withLoader { loader in
                let result = try await loader.load(Self.rows, .upsert, key: ["id"], table: "typed", schema: Self.schema)
                #expect(result.checksum == (try await loader.verify(table: "typed")).actualChecksum)
                return (result.checksum, try await loader.contents("typed"))
            }
            checksums[target.name] = checksum
            contents[target.name] = read
        }
        #expect(Set(checksums.values).count == 1, "checksums: \(checksums)")
        #expect(Set(contents.values.map { "\($0)" }).count == 1, "contents: \(contents)")
    }

    @Test("a sample of prices upserted in two steps gives the same checksum in every target")
    func pricesChecksumEverywhere() async throws {
        let base = (0..<200).map {
            Prices.row("S\($0 % 20)", "2024-01-\(10 + $0 / 20)", "\($0).\($0 % 10)000", Int64($0))
        }
        let changed = base.suffix(100).map { row in
            var row = row
            row[3] = .int64(7)
            return row
        }
        var checksums: [String: String] = [:]
        for target in ConformanceTarget.all {
            checksums[target.name] = try await target.withLoader { loader in
                _ = try await loader.load(base, .upsert)
                return try await loader.load(changed, .upsert).checksum
            }
        }
        #expect(Set(checksums.values).count == 1, "checksums: \(checksums)")
    }
}
