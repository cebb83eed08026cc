import NIOCore
import SluiceTesting
import Testing

@testable import RESP

@Suite("RESP cluster client against a three-node cluster", .timeLimit(.minutes(5)))
struct RESPClusterClientTests {
    private func configuration(_ cluster: RedisCluster) throws -> RESPClient.Configuration {
        .init(connection: try .init(url: cluster.nodes[0].url()), maximumConnections: 2)
    }

    @Test("a pipeline split per node and merged by index: exact counts, the error's index in the whole pipeline")
    func splitPipeline() async throws {
        try await withRedisCluster { cluster in
            try await withRESPClusterClient(try configuration(cluster)) { client in
                try await client.send(RESPCommand("HSET", "cluster:hash", "f", "1"))
                let commands = (0..<30_000).map { index in
                    index == 12_345
                        ? RESPCommand("LPUSH", "cluster:hash", "x")
                        : RESPCommand("SET", .string("cluster:\(index)"), .string("v\(index)"))
                }
                let outcome = try await client.pipeline(commands: commands, window: 1024)
                #expect(outcome.count == 30_000 && outcome.failed == 1)
                #expect(outcome.errors.map(\.index) == [12_345])
                #expect(try await client.send(RESPCommand("GET", "cluster:29999")).string == "v29999")
            }
            let sizes = try cluster.nodes.map { Int(try $0.cli("DBSIZE")) ?? 0 }
            #expect(sizes.reduce(0, +) == 30_000)
            #expect(sizes.allSatisfy { $0 > 5000 })
        }
    }

    @Test("a stale slot table: MOVED replies are resent to the new owner and the table is read again")
    func moved() async throws {
        try await withRedisCluster { cluster in
            try await withRESPClusterClient(try configuration(cluster)) { client in
                let node = cluster.nodes[0]
                let stale = try RESPClusterTopology(
                    slots: .array([
                        .array([.integer(0), .integer(16383), .array([bulk(node.host), .integer(Int64(node.port))])])
                    ]),
                    host: node.host
                )
                client.use(stale)
                let commands = (0..<3000).map { RESPCommand("SET", .string("moved:\($0)"), "v") }
                let outcome = try await client.pipeline(commands: commands)
                #expect(outcome.count == 3000 && outcome.failed == 0)
                #expect(try await client.topology().primaries.count == 3)
                #expect(try await client.send(RESPCommand("GET", "moved:2999")).string == "v")
            }
        }
    }

    @Test("a slot being migrated: ASK sends the command, preceded by ASKING, to the importing node")
    func ask() async throws {
        try await withRedisCluster { cluster in
            let slot = RESPHashSlot.slot(of: "ask")
            let topology = try await withRESPClusterClient(try configuration(cluster)) { try await $0.topology() }
            let owner = try #require(topology.primary(forSlot: slot))
            let source = try #require(cluster.nodes.first { $0.port == owner.port })
            let target = try #require(cluster.nodes.first { $0.port != owner.port })
            try target.cli("CLUSTER", "SETSLOT", "\(slot)", "IMPORTING", try source.cli("CLUSTER", "MYID"))
            try source.cli("CLUSTER", "SETSLOT", "\(slot)", "MIGRATING", try target.cli("CLUSTER", "MYID"))
            try await withRESPClusterClient(try configuration(cluster)) { client in
                try await client.send(RESPCommand("SET", "{ask}:single", "1"))
                let outcome = try await client.pipeline(
                    commands: (0..<10).map { RESPCommand("SET", .string("{ask}:\($0)"), "v") }
                )
                #expect(outcome.count == 10 && outcome.failed == 0)
            }
            #expect(try target.cli("CLUSTER", "COUNTKEYSINSLOT", "\(slot)") == "11")
            #expect(try source.cli("CLUSTER", "COUNTKEYSINSLOT", "\(slot)") == "0")
        }
    }
}
