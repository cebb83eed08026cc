import Logging
import NIOCore
import RESP
import Sluice

/// The primaries of a Redis Cluster, each with a connection of its own: what the per-node operations (`SCAN`
/// is per node) of ``CacheInspector`` and ``CacheFlush`` run on.
enum CacheCluster {
    /// Reads the slot table through `seed` (``RESP/RESPClusterClient``), connects to every primary with the
    /// seed's login and TLS settings (database 0, the only one a cluster has), runs `body` with the connections
    /// in the table's order, and closes them whether `body` returns or throws.
    static func withPrimaries<Result>(
        _ seed: RESPConnection.Configuration,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger,
        _ body: ([RESPConnection]) async throws -> Result
    ) async throws -> Result {
        let seedAddress = "\(seed.host):\(seed.port)"
        let topology: RESPClusterTopology
        do {
            topology = try await withRESPClusterClient(
                RESPClient.Configuration(connection: seed, maximumConnections: 1),
                eventLoopGroup: eventLoopGroup,
                logger: logger
            ) { try await $0.topology() }
        } catch {
            throw SluiceError.cacheOperation("CLUSTER SHARDS", address: seedAddress, error)
        }
        guard !topology.primaries.isEmpty else {
            throw SluiceError(.targetFailure, "redis \(seedAddress): the cluster has no primary serving slots")
        }
        var connections: [RESPConnection] = []
        do {
            for node in topology.primaries {
                var configuration = seed
                configuration.host = node.host
                configuration.port = node.port
                configuration.database = 0
                do {
                    connections.append(
                        try await RESPConnection.connect(configuration, eventLoopGroup: eventLoopGroup, logger: logger)
                    )
                } catch {
                    throw SluiceError.cacheOperation("connect", address: node.description, error)
                }
            }
            let result = try await body(connections)
            for connection in connections { await connection.close() }
            return result
        } catch {
            for connection in connections { await connection.close() }
            throw error
        }
    }
}
