import Foundation
import SluiceTesting
import Testing

/// The built `sluice cache` against real Redis servers and a cluster: stats as text and JSON, flush by namespace,
/// a wrong password and an empty namespace failing in one line.
@Suite("sluice cache (the built binary)", .timeLimit(.minutes(3)))
struct CacheCommandTests {
    /// Sets `count` keys `prefix1`…`prefixN` in one server-side loop; with `ttl`, each expires after that.
    private func load(_ server: RedisServer, _ prefix: String, count: Int, ttl: Int? = nil, database: Int = 0) throws {
        let script =
            ttl == nil
            ? "for i=1,tonumber(ARGV[1]) do redis.call('SET', ARGV[2]..i, 'value') end"
            : "for i=1,tonumber(ARGV[1]) do redis.call('SET', ARGV[2]..i, 'value', 'EX', ARGV[3]) end"
        try server.cli(["-n", "\(database)", "EVAL", script, "0", "\(count)", prefix, "\(ttl ?? 0)"])
    }

    @Test func statsPrintsPatternsBiggestKeysAndAdvice() async throws {
        try await withRedisServer { server in
            try load(server, "cli:prices:", count: 200, ttl: 600, database: 2)
            try load(server, "cli:quotes:", count: 50, database: 2)
            try server.cli("-n", "2", "SET", "cli:blobs:big", String(repeating: "x", count: 50_000))
            let url = server.url(database: 2)
            try withWorkingDirectory { directory in
                let json = try SluiceProcess.run(["cache", "stats", "--target", url, "--json"], in: directory)
                #expect(json.status == 0, "\(json.error)")
                let object = try jsonObject(json.output)
                #expect(object["keys"] as? Int == 251 && object["keys_without_ttl"] as? Int == 51)
                #expect(object["sampled_keys"] as? Int == 251)
                let patterns = try #require(object["patterns"] as? [[String: Any]])
                let prices = try #require(patterns.first { $0["pattern"] as? String == "cli:prices:*" })
                #expect(prices["sampled_keys"] as? Int == 200 && prices["sampled_without_ttl"] as? Int == 0)
                #expect(prices["estimated_keys"] as? Int == 200)
                let quotes = try #require(patterns.first { $0["pattern"] as? String == "cli:quotes:*" })
                #expect(quotes["sampled_without_ttl"] as? Int == 50)
                let biggest = try #require(object["biggest_keys"] as? [[String: Any]])
                #expect(biggest.first?["key"] as? String == "cli:blobs:big")
                let advice = try #require(object["recommendations"] as? [String])
                #expect(advice.contains { $0.contains("have no TTL") })

                let text = try SluiceProcess.run(
                    ["cache", "stats", "--target", url, "--pattern", "cli:p*", "--sample", "100"],
                    in: directory
                )
                #expect(text.status == 0, "\(text.error)")
                #expect(text.output.contains("target  redis://127.0.0.1:\(server.port)/2"))
                #expect(text.output.contains("hit ratio") && text.output.contains("cli:p*"))
                #expect(text.output.contains("100 keys (39.8% of the keys)"), "\(text.output)")
                #expect(text.output.contains("advice  51 keys (20%) have no TTL"), "\(text.output)")
            }
        }
    }

    @Test func flushDeletesOneNamespace() async throws {
        try await withRedisServer { server in
            try load(server, "clean:", count: 1500, ttl: 600)
            try load(server, "clean2:", count: 5)
            try load(server, "keep:", count: 7)
            try withWorkingDirectory { directory in
                let flushed = try SluiceProcess.run(
                    ["cache", "flush", "--target", server.url(), "--namespace", "clean"],
                    in: directory
                )
                #expect(flushed.status == 0, "\(flushed.error)")
                #expect(flushed.output.contains("namespace 'clean': unlinked 1,500 keys"), "\(flushed.output)")
                let again = try SluiceProcess.run(
                    ["cache", "flush", "--target", server.url(), "--namespace", "clean", "--json"],
                    in: directory
                )
                #expect(try jsonObject(again.output)["unlinked"] as? Int == 0)
            }
            let remaining = try server.cli("DBSIZE")
            #expect(remaining == "12")
        }
    }

    @Test func afterALoadStatsSeeTheTableAndFlushLeavesNothing() async throws {
        try await withRedisServer { server in
            let url = server.url(database: 3)
            try withWorkingDirectory { directory in
                let sample = try SluiceProcess.run(
                    ["sample", "ohlcv", "--rows", "200", "--symbols", "4", "--output", "p.csv"],
                    in: directory
                )
                #expect(sample.status == 0, "\(sample.error)")
                let load = try SluiceProcess.run(
                    [
                        "load", "p.csv", "--into", url, "--namespace", "mkt", "--table", "prices", "--key",
                        "symbol,date",
                    ],
                    in: directory
                )
                #expect(load.status == 0, "\(load.error)")
                let stats = try jsonObject(
                    try SluiceProcess.run(["cache", "stats", "--target", url, "--json"], in: directory).output
                )
                let patterns = try #require(stats["patterns"] as? [[String: Any]])
                let prices = try #require(patterns.first { $0["pattern"] as? String == "mkt:prices:*" })
                #expect(prices["sampled_keys"] as? Int == 200 && prices["sampled_without_ttl"] as? Int == 200)
                #expect(patterns.contains { $0["pattern"] as? String == "{mkt:prices}:*" })

                let flush = try SluiceProcess.run(
                    ["cache", "flush", "--target", url, "--namespace", "mkt", "--json"],
                    in: directory
                )
                #expect(flush.status == 0, "\(flush.error)")
                #expect(try jsonObject(flush.output)["unlinked"] as? Int == stats["keys"] as? Int)
            }
            let remaining = try server.cli("-n", "3", "DBSIZE")
            #expect(remaining == "0")
        }
    }

    @Test func anEmptyNamespaceIsRefusedInOneLine() async throws {
        let server = try RedisServer.shared
        try load(server, "refuse-empty:", count: 3, database: 4)
        try withWorkingDirectory { directory in
            let refused = try SluiceProcess.run(
                ["cache", "flush", "--target", server.url(database: 4), "--namespace", ""],
                in: directory
            )
            #expect(refused.status != 0)
            let message = refused.error.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(message.hasPrefix("error:") && !message.contains("\n"), "\(message)")
            #expect(message.contains("namespace is empty"), "\(message)")
        }
        let kept = try server.cli("-n", "4", "--scan", "--pattern", "refuse-empty:*")
        #expect(kept.split(separator: "\n").count == 3)
    }

    @Test func aWrongPasswordFailsInOneLineWithoutThePassword() async throws {
        try await withRedisServer(.init(password: "right-horse-battery")) { server in
            try withWorkingDirectory { directory in
                let wrong = server.url(password: "wrong-staple-827")
                let failed = try SluiceProcess.run(["cache", "stats", "--target", wrong], in: directory)
                #expect(failed.status != 0)
                let message = failed.error.trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(message.hasPrefix("error:") && !message.contains("\n"), "\(message)")
                #expect(message.contains("WRONGPASS") && message.contains("redis://:***@127.0.0.1"), "\(message)")
                #expect(!failed.error.contains("wrong-staple-827") && !failed.output.contains("wrong-staple-827"))

                let right = try SluiceProcess.run(["cache", "stats", "--target", server.url()], in: directory)
                #expect(right.status == 0, "\(right.error)")
                #expect(!right.output.contains("right-horse-battery") && !right.error.contains("right-horse-battery"))
            }
        }
    }

    @Test func aClusterByOptionOrBySeveralHosts() async throws {
        try await withRedisCluster { cluster in
            let node = cluster.nodes[0]
            for index in 0..<40 { try node.cli("-c", "SET", "cc:\(index)", "v") }
            for index in 0..<6 { try node.cli("-c", "SET", "other:\(index)", "v") }
            let hosts = cluster.nodes.map { "\($0.host):\($0.port)" }.joined(separator: ",")
            try withWorkingDirectory { directory in
                let stats = try SluiceProcess.run(
                    ["cache", "stats", "--target", "redis://\(hosts)/0", "--json"],
                    in: directory
                )
                #expect(stats.status == 0, "\(stats.error)")
                #expect(try jsonObject(stats.output)["keys"] as? Int == 46)
                let flushed = try SluiceProcess.run(
                    ["cache", "flush", "--target", node.url() + "?cluster=true", "--namespace", "cc", "--json"],
                    in: directory
                )
                #expect(flushed.status == 0, "\(flushed.error)")
                #expect(try jsonObject(flushed.output)["unlinked"] as? Int == 40)
            }
            let sizes = try cluster.nodes.map { Int(try $0.cli("DBSIZE")) ?? -1 }
            #expect(sizes.reduce(0, +) == 6)
        }
    }
}
