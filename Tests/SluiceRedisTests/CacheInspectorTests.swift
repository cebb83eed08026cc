import RESP
import Sluice
import SluiceRedis
import SluiceTesting
import Testing

/// Runs `body` with a connection to `url`, closed afterwards.
func withCacheTestConnection<Result>(
    _ url: String,
    _ body: (RESPConnection) async throws -> Result
) async throws -> Result {
    try await withRESPConnection(try RESPConnection.Configuration(url: url), body)
}

/// `SET key value [EX 300]` for `count` keys `prefix0`, `prefix1`, …; the first `withoutTTL` get no TTL.
func cacheTestKeys(_ prefix: String, count: Int, withoutTTL: Int = 0, value: String = "v") -> [RESPCommand] {
    var commands: [RESPCommand] = []
    for index in 0..<count {
        let key = RESPArgument.string(prefix + String(index))
        commands.append(
            index < withoutTTL
                ? RESPCommand("SET", key, .string(value)) : RESPCommand("SET", key, .string(value), "EX", 300)
        )
    }
    return commands
}

@Suite("Cache inspection against a real server", .timeLimit(.minutes(3)))
struct CacheInspectorTests {
    /// What the fixture loads, by the pattern each key counts under: keys and keys without a TTL.
    static let expected: [String: (keys: Int, withoutTTL: Int)] = [
        "sluice:prices:*": (300, 0),
        "sluice:quotes:*": (120, 40),
        "session:*": (25, 25),
        "sluice:blobs:*": (1, 1),
        "we\\*rd:set:*": (1, 1),
        "(other)": (5, 5),
    ]
    static let bigValueBytes = 256 * 1024

    /// The fixture's keys: 452, of which 380 have a TTL; one 256 KiB value, `sluice:blobs:big`.
    static func fixture() -> [RESPCommand] {
        var commands = cacheTestKeys("sluice:prices:", count: 300, value: String(repeating: "p", count: 60))
        commands += cacheTestKeys("sluice:quotes:", count: 120, withoutTTL: 40)
        commands += cacheTestKeys("session:", count: 25, withoutTTL: 25)
        commands += cacheTestKeys("plain", count: 5, withoutTTL: 5)
        commands.append(RESPCommand("SET", "sluice:blobs:big", .string(String(repeating: "b", count: bigValueBytes))))
        commands.append(RESPCommand("SET", "we*rd:set:1", "x"))
        return commands
    }

    @Test("server figures, and per-pattern keys and keys without TTL equal what was loaded; the big key is first")
    func inspectsEverything() async throws {
        let settings = ["maxmemory 64mb", "maxmemory-policy allkeys-lru"]
        try await withRedisServer(.init(settings: settings)) { server in
            let statistics = try await withCacheTestConnection(server.url(database: 3)) { connection in
                let outcome = try await connection.pipeline(commands: Self.fixture())
                #expect(outcome.failed == 0)
                try await connection.send(RESPCommand("GET", "sluice:prices:1"))
                try await connection.send(RESPCommand("GET", "sluice:prices:2"))
                try await connection.send(RESPCommand("GET", "sluice:prices:missing"))
                return try await CacheInspector().inspect(connection, database: 3)
            }
            #expect(try server.cli("-n", "3", "DBSIZE") == "452")
            #expect(statistics.keys == 452 && statistics.keysWithTTL == 380 && statistics.keysWithoutTTL == 72)
            #expect(statistics.hits == 2 && statistics.misses == 1)
            #expect(statistics.maxMemory == 64 << 20 && statistics.evictionPolicy == "allkeys-lru")
            #expect(statistics.usedMemory > Int64(Self.bigValueBytes))

            let found = Dictionary(uniqueKeysWithValues: statistics.patterns.map { ($0.pattern, $0) })
            #expect(Set(found.keys) == Set(Self.expected.keys))
            for (pattern, figures) in Self.expected {
                #expect(found[pattern]?.sampledKeys == figures.keys, "\(pattern)")
                #expect(found[pattern]?.sampledWithoutTTL == figures.withoutTTL, "\(pattern)")
            }
            #expect(statistics.sampledKeys == 452)
            #expect(statistics.patterns.first?.pattern == "sluice:blobs:*")

            let biggest = try #require(statistics.biggestKeys.first)
            let measured = try server.cli("-n", "3", "MEMORY", "USAGE", "sluice:blobs:big", "SAMPLES", "0")
            #expect(biggest.key == "sluice:blobs:big" && biggest.bytes == Int64(measured))
            #expect(biggest.bytes >= Int64(Self.bigValueBytes))
            #expect(statistics.biggestKeys.count == 10)
            #expect(statistics.biggestKeys.dropFirst().allSatisfy { $0.key.hasPrefix("sluice:prices:") })

            let prices = try #require(found["sluice:prices:*"])
            #expect(statistics.estimatedKeys(of: prices) == 300)
            #expect(statistics.estimatedBytes(of: prices) == prices.sampledBytes)
            #expect(statistics.recommendations.contains { $0.hasPrefix("72 keys (16%) have no TTL") })
        }
    }

    @Test("caller patterns: the first match wins, keys no pattern covers count under (other)")
    func callerPatterns() async throws {
        try await withRedisServer { server in
            let statistics = try await withCacheTestConnection(server.url(database: 2)) { connection in
                _ = try await connection.pipeline(commands: Self.fixture())
                let inspector = CacheInspector(patterns: [KeyPattern("sluice:*"), KeyPattern("s*")])
                return try await inspector.inspect(connection, database: 2)
            }
            let found = Dictionary(uniqueKeysWithValues: statistics.patterns.map { ($0.pattern, $0.sampledKeys) })
            #expect(found == ["sluice:*": 421, "s*": 25, "(other)": 6])
        }
    }

    @Test("a bounded sample measures exactly sampleSize keys and scales its figures to the database")
    func boundedSample() async throws {
        try await withRedisServer { server in
            let statistics = try await withCacheTestConnection(server.url(database: 4)) { connection in
                _ = try await connection.pipeline(commands: cacheTestKeys("bulk:data:", count: 5000, withoutTTL: 5000))
                return try await CacheInspector(sampleSize: 1000).inspect(connection, database: 4)
            }
            #expect(statistics.keys == 5000 && statistics.sampledKeys == 1000)
            let bulk = try #require(statistics.patterns.first)
            #expect(bulk.pattern == "bulk:data:*" && bulk.sampledKeys == 1000 && bulk.sampledWithoutTTL == 1000)
            #expect(statistics.estimatedKeys(of: bulk) == 5000)
            #expect(statistics.estimatedBytes(of: bulk) == 5 * bulk.sampledBytes)
            let lines = statistics.summaryLines
            #expect(lines.contains { $0.hasPrefix("sample") && $0.contains("1,000 keys (20.0% of the keys)") })
            #expect(lines.contains { $0.hasPrefix("bulk:data:*") && $0.contains("  5,000  ") })
            #expect(statistics.details["keys_without_ttl"] == "5000" && statistics.details["sampled_keys"] == "1000")
        }
    }

    @Test("an empty database: server figures only, no patterns, no biggest keys")
    func emptyDatabase() async throws {
        try await withRedisServer { server in
            let statistics = try await withCacheTestConnection(server.url(database: 1)) { connection in
                try await CacheInspector().inspect(connection, database: 1)
            }
            #expect(statistics.keys == 0 && statistics.patterns.isEmpty && statistics.biggestKeys.isEmpty)
            #expect(statistics.hitRatio == nil && statistics.details["hit_ratio"] == "-")
            #expect(statistics.summaryLines.first == "hit ratio     - (no lookups yet)")
        }
    }

    @Test("a cluster: every primary inspected, keys summed, patterns and biggest keys over all nodes")
    func cluster() async throws {
        try await withRedisCluster { cluster in
            let seed = try RESPConnection.Configuration(url: cluster.nodes[0].url())
            try await withRESPClusterClient(.init(connection: seed)) { client in
                var commands = cacheTestKeys("sluice:prices:", count: 600)
                commands += cacheTestKeys("session:", count: 90, withoutTTL: 90)
                commands.append(RESPCommand("SET", "sluice:blobs:big", .string(String(repeating: "b", count: 100_000))))
                let outcome = try await client.pipeline(commands: commands)
                #expect(outcome.failed == 0)
            }
            let sizes = try cluster.nodes.map { Int(try $0.cli("DBSIZE")) ?? 0 }
            #expect(sizes.allSatisfy { $0 > 0 })
            let statistics = try await CacheInspector().inspect(cluster: seed)
            #expect(statistics.keys == 691 && statistics.keysWithTTL == 600)
            let found = Dictionary(uniqueKeysWithValues: statistics.patterns.map { ($0.pattern, $0) })
            #expect(found["sluice:prices:*"]?.sampledKeys == 600 && found["sluice:prices:*"]?.sampledWithoutTTL == 0)
            #expect(found["session:*"]?.sampledKeys == 90 && found["session:*"]?.sampledWithoutTTL == 90)
            #expect(statistics.biggestKeys.first?.key == "sluice:blobs:big")
        }
    }
}
