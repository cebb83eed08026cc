import Foundation
import RESP
import Sluice
import SluiceRedis
import SluiceTesting
import Testing

@Suite("Cache flush against a real server", .timeLimit(.minutes(3)))
struct CacheFlushTests {
    /// The keys of `server`'s database `database` matching `pattern`, counted by redis-cli.
    private func count(_ server: RedisServer, database: Int = 0, pattern: String = "*") throws -> Int {
        let listed = try server.cli("-n", "\(database)", "--scan", "--pattern", pattern)
        return listed.split(separator: "\n").count
    }

    @Test(
        "a flush unlinks the namespace's keys and Sluice's own, over many SCAN pages; other keys and shared prefixes stay"
    )
    func flushesOneNamespace() async throws {
        try await withRedisServer { server in
            let unlinked = try await withCacheTestConnection(server.url(database: 3)) { connection in
                var commands = cacheTestKeys("md:prices:", count: 2500, withoutTTL: 1200)
                commands += cacheTestKeys("other:", count: 10)
                let own = ["{md:prices}:_sluice:versions", "{md:prices}:_sluice:lock", "{md}:_sluice:tables"]
                commands += (["ns2:x", "md2:x", "md", "mdx:1", "xmd:1", "{md2}:_sluice:tables"] + own).map {
                    RESPCommand("SET", .string($0), "v")
                }
                let outcome = try await connection.pipeline(commands: commands)
                #expect(outcome.failed == 0)
                return try await CacheFlush(namespace: "md").flush(connection)
            }
            #expect(unlinked == 2503)
            #expect(try server.cli("-n", "3", "DBSIZE") == "16")
            #expect(try count(server, database: 3, pattern: "md:*") == 0)
            #expect(try count(server, database: 3, pattern: "other:*") == 10)
            for key in ["ns2:x", "md2:x", "md", "mdx:1", "xmd:1", "{md2}:_sluice:tables"] {
                #expect(try server.cli("-n", "3", "EXISTS", key) == "1", "\(key)")
            }
            for key in ["{md:prices}:_sluice:versions", "{md:prices}:_sluice:lock", "{md}:_sluice:tables"] {
                #expect(try server.cli("-n", "3", "EXISTS", key) == "0", "\(key)")
            }
        }
    }

    @Test("a flush touches only its database")
    func onlyItsDatabase() async throws {
        try await withRedisServer { server in
            try await withCacheTestConnection(server.url(database: 5)) { connection in
                _ = try await connection.pipeline(commands: cacheTestKeys("md:", count: 30))
            }
            let unlinked = try await withCacheTestConnection(server.url(database: 6)) { connection in
                _ = try await connection.pipeline(commands: cacheTestKeys("md:", count: 7))
                return try await CacheFlush(namespace: "md").flush(connection)
            }
            #expect(unlinked == 7)
            #expect(try server.cli("-n", "5", "DBSIZE") == "30" && server.cli("-n", "6", "DBSIZE") == "0")
        }
    }

    @Test(
        "glob characters in the namespace are literal: a* deletes a*:… keys, not ab:…",
        arguments: ["a*", "a?", "[a]", #"a\"#]
    )
    func literalNamespace(namespace: String) async throws {
        try await withRedisServer { server in
            let keys = ["a*:1", "a*:2", "a?:1", "[a]:1", #"a\:1"#, "ab:1", "a:1", "aa:1", #"a\\:1"#]
            let unlinked = try await withCacheTestConnection(server.url()) { connection in
                _ = try await connection.pipeline(commands: keys.map { RESPCommand("SET", .string($0), "v") })
                return try await CacheFlush(namespace: namespace).flush(connection)
            }
            // Keys write a `\` of the namespace escaped (`a\\:…` for namespace `a\`): those are the namespace's.
            let written = namespace.replacingOccurrences(of: #"\"#, with: #"\\"#)
            let deleted = keys.filter { $0.hasPrefix(written + ":") }
            #expect(unlinked == deleted.count)
            for key in keys {
                let exists = try server.cli("EXISTS", key)
                #expect(exists == (deleted.contains(key) ? "0" : "1"), "\(key)")
            }
        }
    }

    @Test("an empty namespace is refused before anything is sent, in one line")
    func emptyNamespace() throws {
        let error = try #require(throws: SluiceError.self) { try CacheFlush(namespace: "") }
        #expect(error.code == .invalidRequest)
        #expect(error.description.contains("namespace is empty") && !error.description.contains("\n"))
    }

    @Test("patterns escape glob characters; a prefix pattern matches literally")
    func escaping() throws {
        #expect(KeyPattern.escaped(#"a*b?[c]\d"#) == #"a\*b\?\[c\]\\d"#)
        #expect(KeyPattern.escaped("sluice") == "sluice")
        let prefix = KeyPattern(prefix: "a*:")
        #expect(prefix.matches(Array("a*:1".utf8)) && !prefix.matches(Array("ab:1".utf8)))
        let flush = try CacheFlush(namespace: "a*")
        #expect(flush.patterns == [#"a\*:*"#, #"{a\*:*"#, #"{a\*}:*"#])
    }

    @Test("a cluster flush runs on every primary and unlinks per slot")
    func clusterFlush() async throws {
        try await withRedisCluster { cluster in
            let seed = try RESPConnection.Configuration(url: cluster.nodes[1].url())
            try await withRESPClusterClient(.init(connection: seed)) { client in
                var commands = cacheTestKeys("cns:prices:", count: 3000, withoutTTL: 1000)
                commands += cacheTestKeys("other:", count: 100)
                commands += cacheTestKeys("cns2:", count: 20)
                let outcome = try await client.pipeline(commands: commands)
                #expect(outcome.failed == 0)
            }
            let before = try cluster.nodes.map { try count($0, pattern: "cns:*") }
            #expect(before.reduce(0, +) == 3000 && before.allSatisfy { $0 > 500 })
            let unlinked = try await CacheFlush(namespace: "cns").flush(cluster: seed)
            #expect(unlinked == 3000)
            let after = try cluster.nodes.map { Int(try $0.cli("DBSIZE")) ?? -1 }
            #expect(after.reduce(0, +) == 120)
            #expect(try cluster.nodes.map { try count($0, pattern: "cns:*") } == [0, 0, 0])
        }
    }
}
