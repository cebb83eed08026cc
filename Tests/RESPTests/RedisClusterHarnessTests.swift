import RESP
import SluiceTesting
import Testing

@Suite("Redis cluster harness", .timeLimit(.minutes(5)))
struct RedisClusterHarnessTests {
    @Test("three primaries form a cluster that agrees with our hash slots")
    func clusterForms() async throws {
        try await withRedisCluster { cluster in
            #expect(cluster.nodes.count == 3)
            let connection = try await RESPConnection.connect(try .init(url: cluster.nodes[0].url()))
            for key in ["foo", "bar", "{user1000}.x", "sluice:prices:42"] {
                let slot = try await connection.send(RESPCommand("CLUSTER", "KEYSLOT", .string(key)))
                #expect(slot.int == RESPHashSlot.slot(of: key))
            }
            let shards = try await connection.send(RESPCommand("CLUSTER", "SHARDS"))
            #expect(shards.elements?.count == 3)
            let moved = try await connection.sendUnchecked([RESPCommand("GET", "foo"), RESPCommand("GET", "bar")])
            let redirects = moved.compactMap { reply -> RESPServerError? in
                guard case .error(let line) = reply else { return nil }
                return RESPServerError(line)
            }
            #expect(!redirects.isEmpty)
            #expect(redirects.allSatisfy { $0.kind == .redirect && $0.redirect?.host == "127.0.0.1" })
            await connection.close()
        }
    }

    @Test("the topology from CLUSTER SHARDS and from CLUSTER SLOTS agree, and route each key to its primary")
    func topology() async throws {
        try await withRedisCluster { cluster in
            let seed = try await RESPConnection.connect(try .init(url: cluster.nodes[1].url()))
            let shards = try await RESPClusterTopology.fetch(from: seed)
            let slots = try RESPClusterTopology(
                slots: try await seed.send(RESPCommand("CLUSTER", "SLOTS")),
                host: "127.0.0.1"
            )
            await seed.close()
            #expect(shards.coversAllSlots)
            #expect(Set(shards.primaries.map(\.port)) == Set(cluster.nodes.map(\.port)))
            for slot in stride(from: 0, to: RESPHashSlot.count, by: 97) {
                #expect(shards.primary(forSlot: slot)?.port == slots.primary(forSlot: slot)?.port)
            }
            for key in (0..<30).map({ "topology:\($0)" }) {
                let node = try #require(shards.primary(forSlot: RESPHashSlot.slot(of: key)))
                let connection = try await RESPConnection.connect(.init(host: node.host, port: node.port))
                try await connection.send(RESPCommand("SET", .string(key), "here"))
                await connection.close()
            }
        }
    }
}
