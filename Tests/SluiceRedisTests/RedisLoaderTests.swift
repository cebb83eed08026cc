import Foundation
import Sluice
import SluiceRedis
import SluiceTesting
import Testing

/// The cache loader against a real `redis-server`: what the keys hold, their TTLs, the layouts, logins and
/// the unhappy paths. The strategies themselves are in the conformance suite.
@Suite("Redis cache loader")
struct RedisLoaderTests {
    static let rows = [
        PriceRows.row("AAPL", "2024-01-02", "185.6400", 100),
        PriceRows.row("MSFT", "2024-01-02", "370.8700", 200),
        PriceRows.row("GOOG", "2024-01-02", "138.1700", 300),
    ]

    /// A URL on the shared server in a namespace of its own, with `options` (`ttl=300&…`).
    static func url(_ options: String = "") throws -> (url: String, namespace: String) {
        let namespace = "loader-\(UUID().uuidString.prefix(8))"
        let extra = options.isEmpty ? "" : "&" + options
        return (try RedisServer.shared.url() + "?namespace=" + namespace + extra, namespace)
    }

    static func load(
        _ rows: [[Value]],
        into url: String,
        strategy: LoadingStrategy = .upsert,
        key: [String] = PriceRows.key,
        configure: (inout LoadRequest) -> Void = { _ in }
    ) async throws -> LoadResult {
        var request = LoadRequest(table: "prices", strategy: strategy, keyColumns: key)
        configure(&request)
        let stream = try RecordStream(schema: PriceRows.schema, source: "prices.csv", rows: rows)
        return try await withLoader(url, factories: [RedisLoader.factory]) { loader in
            try await loader.load(stream, request: request)
        }
    }

    static func verify(_ url: String) async throws -> Verification {
        try await withLoader(url, factories: [RedisLoader.factory]) { try await $0.verify(table: "prices") }
    }

    static func contents(_ url: String) async throws -> [[String?]] {
        try await withLoader(url, factories: [RedisLoader.factory]) { try await $0.contents("prices") }
    }

    @Test("keys follow the template and hold the row as JSON; the version record is written")
    func keysAndValues() async throws {
        let (url, namespace) = try Self.url()
        let result = try await Self.load(Self.rows, into: url)
        let server = try RedisServer.shared
        let value = try server.cli("GET", "\(namespace):prices:AAPL:2024-01-02")
        #expect(value.contains(#""close":185.6400"#))
        #expect(value.contains(#""symbol":"AAPL""#))
        let versions = try server.cli("LLEN", "{\(namespace):prices}:_sluice:versions")
        #expect(versions.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        let verification = try await Self.verify(url)
        #expect(verification.isValid && verification.versionID == result.version?.id)
        #expect(try await Self.contents(url) == texts(Self.rows))
    }

    @Test("statistics list the namespace's tables with their versions, and the cache's figures")
    func statistics() async throws {
        let (url, _) = try Self.url()
        _ = try await Self.load(Self.rows, into: url)
        _ = try await Self.load([PriceRows.row("NVDA", "2024-01-02", "48.1700")], into: url)
        let statistics = try await withLoader(url, factories: [RedisLoader.factory]) {
            try await $0.statistics(table: nil)
        }
        #expect(statistics.tables.map(\.name) == ["prices"])
        #expect(statistics.tables.first?.rowCount == 4)
        #expect(statistics.tables.first?.versions.count == 2)
        #expect(statistics.tables.first?.details["value format"] == "json")
        #expect(Int(statistics.details["cache keys"] ?? "") ?? 0 >= 4)
        #expect(statistics.details["cache hit ratio"] != nil)
    }

    @Test("TTLs: the load's, a rule's, the default's; KEEPTTL on update when asked")
    func ttls() async throws {
        let (base, namespace) = try Self.url("default_ttl=100000")
        let ruled = base + "&ttl_rule=\(namespace):prices:MSFT:*=5000"
        _ = try await Self.load(Self.rows, into: ruled)
        let server = try RedisServer.shared
        func ttl(_ symbol: String) throws -> Int {
            Int(
                try server.cli("TTL", "\(namespace):prices:\(symbol):2024-01-02").trimmingCharacters(
                    in: .whitespacesAndNewlines
                )
            ) ?? -99
        }
        #expect((99_000...100_000).contains(try ttl("AAPL")))
        #expect((4_000...5_000).contains(try ttl("MSFT")))
        // The load's TTL wins over rules and default; KEEPTTL leaves an updated key's TTL alone.
        _ = try await Self.load(
            [PriceRows.row("AAPL", "2024-01-02", "190.0000", 100)],
            into: base + "&ttl=2000&keep_ttl=true"
        )
        #expect((99_000...100_000).contains(try ttl("AAPL")))
        _ = try await Self.load([PriceRows.row("NVDA", "2024-01-02", "48.1700", 400)], into: base + "&ttl=2000")
        #expect((1_000...2_000).contains(try ttl("NVDA")))
        _ = try await Self.load([PriceRows.row("GOOG", "2024-01-02", "140.0000", 300)], into: base + "&ttl=2000")
        #expect((1_000...2_000).contains(try ttl("GOOG")))
        // An unchanged row under a TTL is written again: its key lives on, and is back after it expired.
        _ = try server.cli("DEL", "\(namespace):prices:MSFT:2024-01-02")
        let renewed = try await Self.load(Self.rows, into: base + "&ttl=3000")
        #expect(renewed.metrics.recordsSkipped == 1 && renewed.metrics.recordsUpdated == 2)
        #expect((2_000...3_000).contains(try ttl("MSFT")))
        #expect((2_000...3_000).contains(try ttl("AAPL")))
        #expect(try await Self.verify(base).isValid)
    }

    @Test(
        "every value format reads back exactly",
        arguments: ["json", "msgpack", "hash", "string:close"]
    )
    func valueFormats(format: String) async throws {
        let schema = Schema(
            columns: [
                Column("symbol", .string, isNullable: false), Column("date", .date, isNullable: false),
                Column("close", .decimal(precision: 18, scale: 4)),
            ],
            keyColumns: ["symbol", "date"]
        )
        let rows: [[Value]] = [
            [.string("AAPL"), .date(CivilDate(year: 2024, month: 1, day: 2)!), .decimal(ExactDecimal("185.6400")!)],
            [.string("Zürich AG"), .date(CivilDate(year: 1969, month: 7, day: 20)!), .null],
        ]
        let (url, _) = try Self.url("value_format=\(format)")
        let request = LoadRequest(table: "quotes", strategy: .upsert, keyColumns: ["symbol", "date"])
        let result = try await withLoader(url, factories: [RedisLoader.factory]) { loader in
            try await loader.load(try RecordStream(schema: schema, source: "q.csv", rows: rows), request: request)
        }
        #expect(result.metrics.recordsInserted == 2)
        try await withLoader(url, factories: [RedisLoader.factory]) { loader in
            let verification = try await loader.verify(table: "quotes")
            #expect(verification.isValid, "\(verification)")
            #expect(try await loader.contents("quotes") == texts(rows))
        }
    }

    @Test("plain string values read their key columns back from the key, separators escaped")
    func stringKeysReadBack() async throws {
        let (url, namespace) = try Self.url("value_format=string:close")
        let schema = Schema(
            columns: [
                Column("symbol", .string), Column("date", .date), Column("close", .decimal(precision: 18, scale: 4)),
            ],
            keyColumns: ["symbol", "date"]
        )
        let rows = [
            PriceRows.row("BRK:B", "2024-01-02", "1.0000").dropLast(),
            PriceRows.row(#"A\B"#, "2024-01-02", "2.0000").dropLast(),
        ].map(Array.init)
        let request = LoadRequest(table: "prices", strategy: .upsert, keyColumns: ["symbol", "date"])
        let result = try await withLoader(url, factories: [RedisLoader.factory]) { loader in
            try await loader.load(try RecordStream(schema: schema, source: "s.csv", rows: rows), request: request)
        }
        #expect(result.metrics.recordsInserted == 2)
        let server = try RedisServer.shared
        #expect(try server.cli("GET", #"\#(namespace):prices:BRK\:B:2024-01-02"#) == "1.0000")
        #expect(try server.cli("GET", #"\#(namespace):prices:A\\B:2024-01-02"#) == "2.0000")
        let verification = try await Self.verify(url)
        #expect(verification.isValid, "\(verification)")
        #expect(try await Self.contents(url) == texts(rows))
    }

    @Test("a table without a key is a stream per key template; appends add entries, replace trims them")
    func streams() async throws {
        let (url, namespace) = try Self.url(
            "key_template=" + "{namespace}:{table}:{symbol}".addingPercentEncoding(
                withAllowedCharacters: .alphanumerics
            )!
        )
        _ = try await Self.load(
            Self.rows + [PriceRows.row("AAPL", "2024-01-03", "186.0000")],
            into: url,
            strategy: .append,
            key: []
        )
        let server = try RedisServer.shared
        #expect(try server.cli("XLEN", "\(namespace):prices:AAPL").hasPrefix("2"))
        #expect(try server.cli("TYPE", "\(namespace):prices:MSFT").hasPrefix("stream"))
        let replaced = try await Self.load(
            [PriceRows.row("AAPL", "2024-01-04", "187.0000")],
            into: url,
            strategy: .replace,
            key: []
        )
        #expect(replaced.metrics.recordsDeleted == 4 && replaced.metrics.recordsInserted == 1)
        #expect(try server.cli("XLEN", "\(namespace):prices:AAPL").hasPrefix("1"))
        #expect(try server.cli("EXISTS", "\(namespace):prices:MSFT").hasPrefix("0"))
        #expect(try await Self.verify(url).isValid)
        #expect(try await Self.contents(url) == texts([PriceRows.row("AAPL", "2024-01-04", "187.0000")]))
    }

    @Test("a value over the maximum fails the load in one line, naming line and key, and leaves nothing behind")
    func valueTooLarge() async throws {
        let (url, namespace) = try Self.url("max_value_bytes=100")
        let long = PriceRows.row(String(repeating: "X", count: 80), "2024-01-02", "1.0000")
        let error = await #expect(throws: SluiceError.self) {
            try await Self.load(Self.rows + [long], into: url)
        }
        #expect(
            error?.message.hasPrefix("prices.csv:4: key \(namespace):prices:XXXX") == true,
            "\(error?.message ?? "")"
        )
        #expect(error?.message.contains("over the maximum of 100 (max_value_bytes)") == true)
        #expect(error?.message.contains("\n") == false)
        let keys = try RedisServer.shared.cli("--scan", "--pattern", "*\(namespace)*")
        #expect(keys.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "left behind: \(keys)")
    }

    @Test("a key a crashed load left behind is overwritten and counted once")
    func leftoverKey() async throws {
        let (url, namespace) = try Self.url()
        _ = try RedisServer.shared.cli("SET", "\(namespace):prices:AAPL:2024-01-02", "stale")
        let result = try await Self.load(Self.rows, into: url, strategy: .insertOnly)
        #expect(result.metrics.recordsInserted == 3)
        #expect(try await Self.verify(url).isValid)
        #expect(try await Self.contents(url) == texts(Self.rows))
    }

    @Test("an expired key is reported by verify, not hidden")
    func expiredKey() async throws {
        let (url, namespace) = try Self.url()
        _ = try await Self.load(Self.rows, into: url)
        _ = try RedisServer.shared.cli("DEL", "\(namespace):prices:MSFT:2024-01-02")
        let verification = try await Self.verify(url)
        #expect(!verification.isValid)
        #expect(verification.actualRecordCount == 2)
        #expect(verification.problems.first?.contains("1 keys of version") == true)
    }

    @Test("rediss:// loads over TLS, verified against the test CA")
    func overTLS() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try RedisServer.makeTestCertificates(in: directory)
        try await withRedisServer(.init(password: "tls-pw", tls: files)) { server in
            let url = try #require(server.tlsURL(host: "localhost")) + "&namespace=tls"
            let result = try await Self.load(Self.rows, into: url)
            #expect(result.metrics.recordsInserted == 3)
            #expect(try await Self.verify(url).isValid)
        }
    }

    @Test("an ACL user loads; a wrong password fails in one line without the password")
    func logins() async throws {
        let user = RedisServer.Configuration.User(name: "loader", password: "user-secret-29")
        try await withRedisServer(.init(password: "admin-secret-41", users: [user])) { server in
            let url = server.url(user: "loader", password: "user-secret-29") + "?namespace=acl"
            let result = try await Self.load(Self.rows, into: url)
            #expect(result.metrics.recordsInserted == 3)
            let wrong = server.url(user: "loader", password: "not-the-password-77") + "?namespace=acl"
            do {
                _ = try await Self.load(Self.rows, into: wrong)
                Issue.record("a wrong password loaded")
            } catch {
                let message = "\(error)"
                #expect(!message.contains("not-the-password-77") && !message.contains("\n"))
                #expect(message.contains("WRONGPASS") || message.contains("invalid username-password"))
            }
        }
    }
}
