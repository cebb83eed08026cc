import RESP
import SluiceTesting
import Testing

@Suite("Redis cluster harness", .timeLimit(.minutes(2)))
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
}
