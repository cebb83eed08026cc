import Logging
import NIOCore
import NIOPosix
import RESP
import Sluice

extension CacheInspector {
    /// The statistics of a whole Redis Cluster: every primary inspected and the figures summed.
    ///
    /// Hits, misses, used memory, evicted keys and keys are sums over the primaries, and so is `maxmemory` unless a
    /// primary has none (then the cluster has none); the eviction policy is the first primary's. The sample of ``sampleSize`` keys is shared out in proportion to each
    /// primary's keys, so per-pattern estimates hold for the cluster; the biggest keys are the cluster's.
    ///
    /// - Parameters:
    ///   - seed: how to reach one node (any) and log in; the others are found in its slot table and reached
    ///     with the same user, password and TLS settings.
    /// - Throws: ``Sluice/SluiceError`` naming the node that failed.
    public func inspect(
        cluster seed: RESPConnection.Configuration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "sluice.redis")
    ) async throws -> CacheStatistics {
        try await CacheCluster.withPrimaries(seed, eventLoopGroup: eventLoopGroup, logger: logger) { connections in
            var figures: [CacheStatistics] = []
            for connection in connections { figures.append(try await serverFigures(connection, database: 0)) }
            let shares = Self.shares(of: sampleSize, keys: figures.map(\.keys))
            var sample = CacheSample(patterns: patterns, biggestCount: biggestKeyCount)
            for (connection, share) in zip(connections, shares) {
                sample.merge(try await self.sample(connection, limit: share))
            }
            var statistics = Self.sum(figures)
            statistics.patterns = sample.patternMemory
            statistics.biggestKeys = sample.biggest
            return statistics
        }
    }

    /// `total` shared out in proportion to `keys` (rounded up, so no node with keys gets none).
    static func shares(of total: Int, keys: [Int64]) -> [Int] {
        let all = keys.reduce(0, +)
        guard all > 0 else { return keys.map { _ in 0 } }
        return keys.map { Int((Double(total) * Double($0) / Double(all)).rounded(.up)) }
    }

    /// The figures of several primaries as one.
    static func sum(_ figures: [CacheStatistics]) -> CacheStatistics {
        var total = CacheStatistics(
            hits: 0,
            misses: 0,
            usedMemory: 0,
            maxMemory: 0,
            evictionPolicy: figures.first?.evictionPolicy ?? "noeviction",
            evictedKeys: 0,
            keys: 0,
            keysWithTTL: 0
        )
        for node in figures {
            total.hits += node.hits
            total.misses += node.misses
            total.usedMemory += node.usedMemory
            total.evictedKeys += node.evictedKeys
            total.keys += node.keys
            total.keysWithTTL += node.keysWithTTL
        }
        // One primary without a limit leaves the cluster without one.
        let limits = figures.map(\.maxMemory)
        total.maxMemory = limits.contains(0) ? 0 : limits.reduce(0, +)
        return total
    }
}
