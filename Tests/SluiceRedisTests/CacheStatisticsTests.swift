import SluiceRedis
import Testing

@Suite("Cache statistics and recommendations")
struct CacheStatisticsTests {
    static let info = """
        # Server\r
        redis_version:7.0.15\r
        # Memory\r
        used_memory:950000\r
        maxmemory:1000000\r
        maxmemory_policy:noeviction\r
        # Stats\r
        keyspace_hits:600\r
        keyspace_misses:400\r
        evicted_keys:0\r
        # Keyspace\r
        db0:keys=200,expires=150,avg_ttl=29000\r
        db1:keys=3,expires=0,avg_ttl=0\r
        """

    @Test("INFO is parsed into hits, memory and the database's keys")
    func parsesInfo() {
        let statistics = CacheStatistics(info: RedisInfo(parsing: Self.info), db: 0)
        #expect(statistics.hits == 600 && statistics.misses == 400)
        #expect(statistics.hitRatio == 0.6)
        #expect(statistics.usedMemory == 950_000 && statistics.maxMemory == 1_000_000)
        #expect(statistics.evictionPolicy == "noeviction")
        #expect(statistics.keys == 200 && statistics.keysWithTTL == 150 && statistics.keysWithoutTTL == 50)
        #expect(CacheStatistics(info: RedisInfo(parsing: Self.info), db: 1).keys == 3)
        #expect(CacheStatistics(info: RedisInfo(parsing: Self.info), db: 5).keys == 0)
    }

    @Test("recommendations name memory pressure, the eviction policy, the hit ratio, keys without TTL, big keys")
    func recommends() {
        var statistics = CacheStatistics(info: RedisInfo(parsing: Self.info), db: 0)
        statistics.patterns = [
            .init(pattern: "sluice:prices:*", sampledKeys: 20, sampledBytes: 40_960, sampledWithoutTTL: 0)
        ]
        let advice = statistics.recommendations
        #expect(advice.count == 5)
        #expect(advice[0].hasPrefix("Memory is at 95% of maxmemory"))
        #expect(advice[1].hasPrefix("maxmemory-policy is noeviction"))
        #expect(advice[2].hasPrefix("The hit ratio is 60%"))
        #expect(advice[3].hasPrefix("50 keys (25%) have no TTL"))
        #expect(advice[4].hasPrefix("Keys under sluice:prices:* take 2048 bytes each"))
        let healthy = CacheStatistics(
            hits: 990,
            misses: 10,
            usedMemory: 10,
            maxMemory: 0,
            evictionPolicy: "allkeys-lru",
            evictedKeys: 0,
            keys: 5,
            keysWithTTL: 5
        )
        #expect(healthy.recommendations.isEmpty)
    }
}
