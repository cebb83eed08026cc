/// Which primary serves each of a cluster's 16384 hash slots, from `CLUSTER SHARDS` (Redis 7) or `CLUSTER SLOTS`.
public struct RESPClusterTopology: Sendable, Hashable {
    /// A primary node's address.
    public struct Node: Sendable, Hashable, CustomStringConvertible {
        /// The host or address clients connect to.
        public var host: String
        /// The client port.
        public var port: Int
        /// The node id, when the reply names it.
        public var id: String?

        public var description: String { "\(host):\(port)" }
    }

    /// The primaries, each once.
    public private(set) var primaries: [Node] = []
    /// For each slot, the index in ``primaries`` of its primary; `UInt16.max` when no node serves it.
    private var table = [UInt16](repeating: .max, count: RESPHashSlot.count)

    /// The primary serving `slot`, or `nil` if none does.
    public func primary(forSlot slot: Int) -> Node? {
        let index = table[slot & (RESPHashSlot.count - 1)]
        return index == .max ? nil : primaries[Int(index)]
    }

    /// Whether every slot has a primary.
    public var coversAllSlots: Bool { !table.contains(.max) }

    /// Reads the topology through `connection`: `CLUSTER SHARDS`, or `CLUSTER SLOTS` if the server lacks it.
    public static func fetch(from connection: RESPConnection) async throws -> RESPClusterTopology {
        let host = String(connection.address[..<(connection.address.lastIndex(of: ":") ?? connection.address.endIndex)])
        let shards = try await connection.sendUnchecked([RESPCommand("CLUSTER", "SHARDS")])[0]
        if case .error = shards {
            return try RESPClusterTopology(
                slots: try await connection.send(RESPCommand("CLUSTER", "SLOTS")),
                host: host
            )
        }
        return try RESPClusterTopology(shards: shards, host: host)
    }

    /// The topology of a `CLUSTER SHARDS` reply (maps in RESP3, flat key/value arrays in RESP2); `host` replaces
    /// an empty or unknown node address.
    public init(shards reply: RESPValue, host: String) throws(RESPError) {
        guard let shards = reply.elements else { throw Self.invalid("CLUSTER SHARDS is not an array") }
        for shard in shards {
            let fields = Self.fields(shard)
            guard let ranges = fields["slots"]?.elements, let nodes = fields["nodes"]?.elements else {
                throw Self.invalid("a CLUSTER SHARDS entry without slots or nodes")
            }
            let primary = nodes.map(Self.fields).first {
                $0["role"]?.string == "master" || $0["role"]?.string == "primary"
            }
            guard let primary, let port = primary["port"]?.int ?? primary["tls-port"]?.int else { continue }
            let address = primary["endpoint"]?.string ?? primary["ip"]?.string ?? ""
            let node = Node(host: Self.usable(address) ? address : host, port: port, id: primary["id"]?.string)
            for pair in stride(from: 0, to: ranges.count - 1, by: 2) {
                guard let start = ranges[pair].int, let end = ranges[pair + 1].int else {
                    throw Self.invalid("a CLUSTER SHARDS slot range that is not numeric")
                }
                try assign(start...end, to: node)
            }
        }
    }

    /// The topology of a `CLUSTER SLOTS` reply: `[start, end, [host, port, id], replicas…]` per range.
    public init(slots reply: RESPValue, host: String) throws(RESPError) {
        guard let ranges = reply.elements else { throw Self.invalid("CLUSTER SLOTS is not an array") }
        for range in ranges {
            guard let parts = range.elements, parts.count >= 3, let start = parts[0].int, let end = parts[1].int,
                let primary = parts[2].elements, primary.count >= 2, let port = primary[1].int
            else { throw Self.invalid("a CLUSTER SLOTS entry that is not [start, end, [host, port, …], …]") }
            let address = primary[0].string ?? ""
            let id = primary.count > 2 ? primary[2].string : nil
            try assign(start...end, to: Node(host: Self.usable(address) ? address : host, port: port, id: id))
        }
    }

    private mutating func assign(_ slots: ClosedRange<Int>, to node: Node) throws(RESPError) {
        guard slots.lowerBound >= 0, slots.upperBound < RESPHashSlot.count else {
            throw Self.invalid("a slot range outside 0…16383")
        }
        let index: Int
        if let known = primaries.firstIndex(of: node) {
            index = known
        } else {
            index = primaries.count
            primaries.append(node)
        }
        for slot in slots { table[slot] = UInt16(index) }
    }

    /// A map's or a flat key/value array's fields by name.
    private static func fields(_ value: RESPValue) -> [String: RESPValue] {
        var fields: [String: RESPValue] = [:]
        let elements = value.elements ?? []
        for pair in stride(from: 0, to: elements.count - 1, by: 2) {
            if let key = elements[pair].string { fields[key] = elements[pair + 1] }
        }
        return fields
    }

    /// Whether a node address can be connected to (`?` and empty mean "the host you asked").
    private static func usable(_ address: String) -> Bool {
        !address.isEmpty && address != "?"
    }

    private static func invalid(_ message: String) -> RESPError {
        RESPError(.protocolViolation, "unexpected cluster topology: \(message)")
    }
}
