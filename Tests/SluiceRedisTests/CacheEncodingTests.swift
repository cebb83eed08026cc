import Foundation
import Sluice
import SluiceFormats
import SluiceRedis
import SluiceTesting
import Testing

/// Keys, values and TTLs of the cache target, without a server: what a load will write.
@Suite("Cache keys, values and TTL rules")
struct CacheEncodingTests {
    static let batch = try! RecordBatch(
        schema: PriceRows.schema,
        rows: [
            PriceRows.row("AAPL", "2024-01-02", "185.6400", 100), PriceRows.row("MSFT", "2024-01-03", "370.8700", 7),
        ]
    )

    @Test("the standard template is namespace:table:key-parts")
    func standardKeys() {
        let renderer = CacheKeyTemplate.standard.renderer(
            namespace: "sluice",
            table: "prices",
            schema: PriceRows.schema,
            keyColumns: PriceRows.key
        )
        #expect(renderer.key(row: 0, of: Self.batch) == "sluice:prices:AAPL:2024-01-02")
        #expect(renderer.key(row: 1, of: Self.batch) == "sluice:prices:MSFT:2024-01-03")
    }

    @Test("a custom template with a Redis Cluster hash tag and columns by name")
    func customKeys() throws {
        let template = try CacheKeyTemplate("price:{{{symbol}}}:{date}")
        try template.check(schema: PriceRows.schema, keyColumns: PriceRows.key, table: "prices")
        let renderer = template.renderer(
            namespace: "n",
            table: "t",
            schema: PriceRows.schema,
            keyColumns: PriceRows.key
        )
        #expect(renderer.key(row: 0, of: Self.batch) == "price:{AAPL}:2024-01-02")
    }

    @Test(
        "bad templates fail with the reason",
        arguments: [
            ("price:{symbol", "key template 'price:{symbol': '{' at 7 is not closed"),
            ("price:}", "key template 'price:}': '}' at 7 closes nothing (write '}}' for a literal brace)"),
            ("p:{}", "key template 'p:{}': empty placeholder at 3"),
        ]
    )
    func badTemplates(text: String, message: String) {
        #expect(throws: SluiceError.self) { try CacheKeyTemplate(text) }
        do {
            _ = try CacheKeyTemplate(text)
        } catch let error as SluiceError {
            #expect(error.message == message)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test("a template must name every key column and only columns the table has")
    func templateChecks() throws {
        let missing = try CacheKeyTemplate("price:{symbol}")
        #expect(throws: SluiceError.self) {
            try missing.check(schema: PriceRows.schema, keyColumns: PriceRows.key, table: "prices")
        }
        let unknown = try CacheKeyTemplate("{key}:{isin}")
        do {
            try unknown.check(schema: PriceRows.schema, keyColumns: PriceRows.key, table: "prices")
            Issue.record("no error")
        } catch let error as SluiceError {
            #expect(error.message.hasPrefix("key template '{key}:{isin}': table 'prices' has no column 'isin'"))
        }
    }

    @Test(
        "patterns match as Redis matches them",
        arguments: [
            ("price:*", "price:AAPL:2024", true), ("price:*", "prices:AAPL", false), ("*", "", true),
            ("user:?", "user:1", true), ("user:?", "user:12", false), ("log:[a-c]*", "log:b1", true),
            ("log:[a-c]*", "log:d1", false), ("log:[^a]", "log:a", false), ("log:[^a]", "log:b", true),
            ("a\\*b", "a*b", true), ("a\\*b", "axb", false), ("*:2024-*", "sluice:prices:AAPL:2024-01-02", true),
        ]
    )
    func patterns(pattern: String, key: String, expected: Bool) {
        #expect(KeyPattern(pattern).matches(Array(key.utf8)) == expected)
    }

    @Test("TTL precedence: the load's TTL, then the first matching rule, then the default")
    func ttlPrecedence() throws {
        var policy = TTLPolicy(
            defaultSeconds: 60,
            rules: [try TTLRule(parsing: "price:*=300"), try TTLRule(parsing: "company:*=1d")]
        )
        #expect(policy.seconds(forKey: Array("price:AAPL".utf8)) == 300)
        #expect(policy.seconds(forKey: Array("company:AAPL".utf8)) == 86_400)
        #expect(policy.seconds(forKey: Array("other".utf8)) == 60)
        policy.loadSeconds = 5
        #expect(policy.seconds(forKey: Array("price:AAPL".utf8)) == 5)
        #expect(TTLPolicy().seconds(forKey: Array("x".utf8)) == nil)
        #expect(TTLPolicy.seconds("5m") == 300)
        #expect(TTLPolicy.seconds("2h") == 7_200)
        #expect(TTLPolicy.seconds("0") == nil)
        #expect(TTLPolicy.seconds("-3") == nil)
        #expect(throws: SluiceError.self) { try TTLRule(parsing: "price:*") }
    }

    @Test("a rules file: comments, both forms, and an error naming the line")
    func rulesFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ttl-\(UUID().uuidString).rules")
        defer { try? FileManager.default.removeItem(at: url) }
        try "# cache rules\nprice:* 300\ncompany:*=1d   # a day\n\n".write(to: url, atomically: true, encoding: .utf8)
        let rules = try TTLPolicy.rules(fromFile: url.path)
        #expect(rules.map(\.description) == ["price:*=300", "company:*=86400"])
        try "price:* 300\nbad line here\n".write(to: url, atomically: true, encoding: .utf8)
        do {
            _ = try TTLPolicy.rules(fromFile: url.path)
            Issue.record("no error")
        } catch let error as SluiceError {
            #expect(error.message.hasPrefix("\(url.path):2: TTL rule 'bad line here'"))
        }
    }

    @Test("JSON values carry exact decimals; string values need one column; hash fields leave NULLs out")
    func values() throws {
        let json = try CacheValueEncoder(format: .json, schema: PriceRows.schema, keyColumns: PriceRows.key, table: "p")
        var bytes: [UInt8] = []
        json.appendValue(row: 0, of: Self.batch, to: &bytes)
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == #"{"symbol":"AAPL","date":"2024-01-02","close":185.6400,"volume":100}"#
        )
        #expect(throws: SluiceError.self) {
            try CacheValueEncoder(
                format: .string(column: nil),
                schema: PriceRows.schema,
                keyColumns: PriceRows.key,
                table: "p"
            )
        }
        let close = try CacheValueEncoder(
            format: .string(column: "close"),
            schema: PriceRows.schema,
            keyColumns: PriceRows.key,
            table: "p"
        )
        bytes = []
        close.appendValue(row: 1, of: Self.batch, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "370.8700")
        let hash = try CacheValueEncoder(format: .hash, schema: PriceRows.schema, keyColumns: PriceRows.key, table: "p")
        let withNull = try RecordBatch(
            schema: PriceRows.schema,
            rows: [[.string("X"), .date(CivilDate("2024-01-02")!), .null, .int64(1)]]
        )
        let fields = hash.fields(row: 0, of: withNull).map {
            String(decoding: $0.name, as: UTF8.self) + "=" + String(decoding: $0.value, as: UTF8.self)
        }
        #expect(fields == ["symbol=X", "date=2024-01-02", "volume=1"])
        #expect(try CacheValueFormat(parsing: "msgpack") == .messagePack)
        #expect(throws: SluiceError.self) { try CacheValueFormat(parsing: "xml") }
    }

    @Test("MessagePack values read back by the msgpack package with every type")
    func messagePackReadBack() throws {
        let schema = Schema(
            columns: [
                Column("id", .int64), Column("flag", .bool), Column("ratio", .double),
                Column("price", .decimal(precision: 18, scale: 4)), Column("name", .string), Column("day", .date),
                Column("at", .timestamp), Column("blob", .bytes), Column("none", .string), Column("big", .int64),
            ],
            keyColumns: ["id"]
        )
        let batch = try RecordBatch(
            schema: schema,
            rows: [
                [
                    .int64(-5), .bool(true), .double(0.25), .decimal(ExactDecimal("-12.3400")!),
                    .string(String(repeating: "Zürich ", count: 6)), .date(CivilDate("1969-12-31")!),
                    .timestamp(Timestamp(microsecondsSinceEpoch: -1_500_000)), .bytes([0, 255]), .null,
                    .int64(Int64.max),
                ]
            ]
        )
        let encoder = try CacheValueEncoder(format: .messagePack, schema: schema, keyColumns: ["id"], table: "t")
        var bytes: [UInt8] = []
        encoder.appendValue(row: 0, of: batch, to: &bytes)
        let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let script = """
            import msgpack, sys, datetime
            value = msgpack.unpackb(bytes.fromhex(sys.argv[1]), timestamp=3)
            value["at"] = value["at"].isoformat()
            value["blob"] = value["blob"].hex()
            print(sorted(value.items()))
            """
        let output = try PythonReader.run(script, arguments: [hex], in: FileManager.default.temporaryDirectory)
        #expect(
            output.trimmingCharacters(in: .whitespacesAndNewlines)
                == "[('at', '1969-12-31T23:59:58.500000+00:00'), ('big', 9223372036854775807), ('blob', '00ff'), "
                + "('day', '1969-12-31'), ('flag', True), ('id', -5), "
                + "('name', 'Zürich Zürich Zürich Zürich Zürich Zürich '), ('none', None), ('price', '-12.3400'), "
                + "('ratio', 0.25)]"
        )
    }
}
