import RESP
import Testing

@Suite("Cluster topology replies")
struct RESPClusterTopologyTests {
    @Test("a RESP2 CLUSTER SHARDS reply (flat key/value arrays) with an unknown address uses the asked host")
    func flatShards() throws {
        let wire =
            "*2\r\n"
            + "*4\r\n$5\r\nslots\r\n*2\r\n:0\r\n:8191\r\n$5\r\nnodes\r\n*1\r\n"
            + "*6\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$4\r\nport\r\n:7000\r\n$8\r\nendpoint\r\n$1\r\n?\r\n"
            + "*4\r\n$5\r\nslots\r\n*4\r\n:8192\r\n:9000\r\n:9001\r\n:16383\r\n$5\r\nnodes\r\n*2\r\n"
            + "*6\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$4\r\nport\r\n:7002\r\n$2\r\nip\r\n$8\r\n10.0.0.2\r\n"
            + "*6\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$4\r\nport\r\n:7001\r\n$2\r\nip\r\n$8\r\n10.0.0.1\r\n"
        let (values, error) = decodeAll([bytes(wire)])
        #expect(error == nil)
        let topology = try RESPClusterTopology(shards: try #require(values.first), host: "seed.example")
        #expect(topology.coversAllSlots)
        #expect(topology.primary(forSlot: 0)?.description == "seed.example:7000")
        #expect(topology.primary(forSlot: 8191)?.port == 7000)
        #expect(topology.primary(forSlot: 8192)?.description == "10.0.0.1:7001")
        #expect(topology.primary(forSlot: 16383)?.port == 7001)
    }
}
