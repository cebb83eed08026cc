import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A throw-away Redis Cluster for tests: three primaries (no replicas) on loopback, slots spread by
/// `redis-cli --cluster create`, ready once every node reports `cluster_state:ok`.
///
/// ```swift
/// try await withRedisCluster { cluster in
///     let seed = cluster.nodes[0].url()
///     …
/// }
/// ```
public final class RedisCluster: Sendable {
    /// The primaries, in the order they were created (slots 0–5460, 5461–10922, 10923–16383).
    public let nodes: [RedisServer]

    init(nodes: [RedisServer]) {
        self.nodes = nodes
    }

    /// Starts `count` (at least 3) cluster-enabled servers and joins them; throws with the tool's output or a
    /// node's log if the cluster does not form within 20 s. `settings` go to every node (`appendonly yes` for a
    /// node that keeps its data across a kill).
    public static func start(nodes count: Int = 3, settings extra: [String] = []) throws -> RedisCluster {
        var nodes: [RedisServer] = []
        do {
            for port in try freePorts(max(3, count)) {
                let settings =
                    ["cluster-enabled yes", "cluster-config-file nodes.conf", "cluster-node-timeout 5000"] + extra
                nodes.append(try RedisServer.start(.init(settings: settings), port: port))
            }
            let cluster = RedisCluster(nodes: nodes)
            try cluster.create()
            try cluster.waitUntilReady()
            return cluster
        } catch {
            for node in nodes { node.discard() }
            throw error
        }
    }

    /// Kills every node (a cluster node takes seconds to stop gracefully, and a test's cluster keeps nothing worth
    /// saving) and deletes their directories.
    public func discard() {
        for node in nodes { node.kill() }
        for node in nodes { node.discard() }
    }

    private func create() throws {
        let addresses = nodes.map { "\($0.host):\($0.port)" }
        let outcome = try ShellCommand(
            executable: RedisServer.tool("redis-cli"),
            arguments: ["--cluster", "create"] + addresses + ["--cluster-replicas", "0", "--cluster-yes"]
        ).run()
        guard outcome.status == 0 else {
            throw RedisServerError("redis-cli --cluster create failed (exit \(outcome.status))", log: outcome.tail())
        }
    }

    private func waitUntilReady() throws {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let states = nodes.map { (try? $0.cli("CLUSTER", "INFO")) ?? "" }
            if states.allSatisfy({ $0.contains("cluster_state:ok") }) { return }
            usleep(100_000)
        }
        throw RedisServerError("the Redis cluster did not reach cluster_state:ok in 20 s", log: nodes[0].logTail())
    }

    /// `count` loopback ports below 55536 that are free, each with its cluster bus port (port + 10000) free too.
    static func freePorts(_ count: Int) throws -> [Int] {
        var ports: [Int] = []
        var attempts = 0
        while ports.count < count {
            attempts += 1
            guard attempts < 1000 else { throw RedisServerError("no free port pair for a Redis cluster node") }
            let port = Int.random(in: 20000..<50000)
            if !ports.contains(port), isFree(port), isFree(port + 10000) { ports.append(port) }
        }
        return ports
    }

    /// Whether a socket can bind to 127.0.0.1:`port` right now.
    private static func isFree(_ port: Int) -> Bool {
        #if os(Linux)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

/// Runs `body` with a three-node Redis Cluster of its own, then stops and deletes it, whether `body` returns or
/// throws.
public func withRedisCluster<Result>(_ body: (RedisCluster) async throws -> Result) async throws -> Result {
    let cluster = try await offThePool { try RedisCluster.start() }
    do {
        let result = try await body(cluster)
        try? await offThePool { cluster.discard() }
        return result
    } catch {
        try? await offThePool { cluster.discard() }
        throw error
    }
}
