import Foundation
import Sluice
import SluiceTesting
import Testing

@testable import SluiceRedis

/// Redis keys are injective: no two different (namespace, table, key values) make one key, whatever the values
/// hold, and every key reads back into its parts. Without a server.
@Suite("Cache keys: escaping and decoding")
struct CacheKeyEscapingTests {
    static let schema = Schema(
        columns: [Column("k1", .string), Column("k2", .string), Column("v", .int64)],
        keyColumns: ["k1", "k2"]
    )

    static func key(
        _ k1: String,
        _ k2: String,
        template: CacheKeyTemplate = .standard,
        table: String = "kc",
        namespace: String = "sluice"
    ) throws -> String {
        let batch = try RecordBatch(schema: schema, rows: [[.string(k1), .string(k2), .int64(1)]])
        return template.renderer(namespace: namespace, table: table, schema: schema, keyColumns: ["k1", "k2"])
            .key(row: 0, of: batch)
    }

    @Test("values holding the separator make different keys, escaped with a backslash")
    func separatorsInValues() throws {
        #expect(try Self.key("a:b", "c") == #"sluice:kc:a\:b:c"#)
        #expect(try Self.key("a", "b:c") == #"sluice:kc:a:b\:c"#)
        #expect(try Self.key(#"a\"#, ":c") == #"sluice:kc:a\\:\:c"#)
        #expect(try Self.key("a", #"\:c"#) == #"sluice:kc:a:\\\:c"#)
    }

    @Test("text without a separator is written as before escaping existed")
    func plainTextUnchanged() throws {
        #expect(try Self.key("AAPL", "2024-01-02") == "sluice:kc:AAPL:2024-01-02")
        #expect(try Self.key("BRK.B", "x y{z}") == "sluice:kc:BRK.B:x y{z}")
    }

    @Test("a table name holding ':' cannot take another table's keys")
    func tableNamesAreEscaped() throws {
        let one = Schema(columns: [Column("date", .string)], keyColumns: ["date"])
        let batch = try RecordBatch(schema: one, rows: [[.string("2024-01-02")]])
        let colon = CacheKeyTemplate.standard.renderer(
            namespace: "sluice",
            table: "rc:AAPL",
            schema: one,
            keyColumns: ["date"]
        ).key(row: 0, of: batch)
        #expect(colon == #"sluice:rc\:AAPL:2024-01-02"#)
        #expect(try Self.key("AAPL", "2024-01-02", table: "rc") == "sluice:rc:AAPL:2024-01-02")
        #expect(CacheTableKeys(namespace: "a:b", table: "c").versions == #"{a\:b:c}:_sluice:versions"#)
        #expect(CacheTableKeys(namespace: "a", table: "b:c").versions == #"{a:b\:c}:_sluice:versions"#)
        #expect(CacheTableKeys(namespace: "md", table: "prices").versions == "{md:prices}:_sluice:versions")
    }

    @Test(
        "every key reads back into its values",
        arguments: [
            ("{namespace}:{table}:{key}", "a:b", "c"),
            ("{namespace}:{table}:{key}", #"\"#, #"\\:"#),
            ("price:{{{k1}}}:{k2}", "x}y", "}:"),
            ("p-{k1}-{k2}", "2024-01-02", "a-b:c"),
            ("{k2}|{k1}", "|||", ""),
        ]
    )
    func roundTrip(template text: String, k1: String, k2: String) throws {
        let template = try CacheKeyTemplate(text)
        try template.checkDecodable(table: "kc")
        let key = try Self.key(k1, k2, template: template)
        let parts = try #require(
            template.parts(
                of: Array(key.utf8),
                namespace: "sluice",
                table: "kc",
                keyColumns: ["k1", "k2"],
                escaped: true
            )
        )
        #expect(parts["k1"] == Array(k1.utf8), "\(key)")
        #expect(parts["k2"] == Array(k2.utf8), "\(key)")
    }

    @Test("a template with two placeholders side by side is refused: its keys could not be read back")
    func adjacentPlaceholders() throws {
        let template = try CacheKeyTemplate("{symbol}{date}")
        let error = #expect(throws: SluiceError.self) { try template.checkDecodable(table: "prices") }
        #expect(
            error?.message
                == "key template '{symbol}{date}' for table 'prices': {symbol} and {date} have nothing between "
                + "them, so different rows could share a key (put a separator such as ':' between them)"
        )
    }

    @Test("claims of key prefixes overlap when a key could belong to both tables")
    func claimsOverlap() {
        typealias Claim = CacheKeyPrefixes.Claim
        let prices = Claim(bytes: Array("sluice:prices:".utf8), isExact: false)
        let price = Claim(bytes: Array("sluice:price:".utf8), isExact: false)
        let custom = Claim(bytes: Array("sluice:".utf8), isExact: false)
        let stream = Claim(bytes: Array("sluice:prices".utf8), isExact: true)
        #expect(!prices.overlaps(price) && !price.overlaps(prices))
        #expect(prices.overlaps(custom) && custom.overlaps(prices))
        #expect(!stream.overlaps(prices) && !prices.overlaps(stream))
        #expect(stream.overlaps(custom) && stream.overlaps(stream))
        #expect(Claim(field: stream.field) == stream && Claim(field: prices.field) == prices)
    }
}
