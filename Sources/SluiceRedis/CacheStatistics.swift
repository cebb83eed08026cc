/// What `sluice stats --target redis://…` reports about a cache: hits, memory, memory per key pattern, the
/// biggest keys and keys without a TTL, with plain-language recommendations.
public struct CacheStatistics: Sendable, Hashable, Codable {
    /// Memory taken by the keys sampled under one pattern (or namespace), scaled to all its keys.
    public struct PatternMemory: Sendable, Hashable, Codable {
        /// The pattern (`sluice:prices:*`).
        public var pattern: String
        /// Keys sampled.
        public var sampledKeys: Int
        /// Their bytes (`MEMORY USAGE`), summed.
        public var sampledBytes: Int64
        /// Sampled keys without a TTL.
        public var sampledWithoutTTL: Int

        /// Creates a pattern's figures.
        public init(pattern: String, sampledKeys: Int, sampledBytes: Int64, sampledWithoutTTL: Int) {
            self.pattern = pattern
            self.sampledKeys = sampledKeys
            self.sampledBytes = sampledBytes
            self.sampledWithoutTTL = sampledWithoutTTL
        }

        /// The mean bytes per key.
        public var bytesPerKey: Double { sampledKeys == 0 ? 0 : Double(sampledBytes) / Double(sampledKeys) }

        enum CodingKeys: String, CodingKey {
            case pattern
            case sampledKeys = "sampled_keys"
            case sampledBytes = "sampled_bytes"
            case sampledWithoutTTL = "sampled_without_ttl"
        }
    }

    /// One big key.
    public struct KeySize: Sendable, Hashable, Codable {
        /// The key.
        public var key: String
        /// Its bytes (`MEMORY USAGE`).
        public var bytes: Int64

        /// Creates a key's size.
        public init(key: String, bytes: Int64) {
            self.key = key
            self.bytes = bytes
        }
    }

    /// `keyspace_hits` since the server's statistics were reset.
    public var hits: Int64
    /// `keyspace_misses`.
    public var misses: Int64
    /// `used_memory`, bytes.
    public var usedMemory: Int64
    /// `maxmemory`, bytes (0: no limit).
    public var maxMemory: Int64
    /// `maxmemory_policy` (`noeviction`, `allkeys-lru`, …).
    public var evictionPolicy: String
    /// `evicted_keys`.
    public var evictedKeys: Int64
    /// Keys in the database.
    public var keys: Int64
    /// Keys with an expiry in the database.
    public var keysWithTTL: Int64
    /// Memory by pattern, from a sample.
    public var patterns: [PatternMemory]
    /// The biggest keys sampled, biggest first.
    public var biggestKeys: [KeySize]

    /// Creates statistics.
    public init(
        hits: Int64,
        misses: Int64,
        usedMemory: Int64,
        maxMemory: Int64,
        evictionPolicy: String,
        evictedKeys: Int64,
        keys: Int64,
        keysWithTTL: Int64,
        patterns: [PatternMemory] = [],
        biggestKeys: [KeySize] = []
    ) {
        self.hits = hits
        self.misses = misses
        self.usedMemory = usedMemory
        self.maxMemory = maxMemory
        self.evictionPolicy = evictionPolicy
        self.evictedKeys = evictedKeys
        self.keys = keys
        self.keysWithTTL = keysWithTTL
        self.patterns = patterns
        self.biggestKeys = biggestKeys
    }

    /// The server-wide figures of `info` for database `db`.
    public init(info: RedisInfo, db: Int) {
        let keyspace = info.keyspace(db: db)
        self.init(
            hits: info.integer("keyspace_hits") ?? 0,
            misses: info.integer("keyspace_misses") ?? 0,
            usedMemory: info.integer("used_memory") ?? 0,
            maxMemory: info.integer("maxmemory") ?? 0,
            evictionPolicy: info.values["maxmemory_policy"] ?? "noeviction",
            evictedKeys: info.integer("evicted_keys") ?? 0,
            keys: keyspace?.keys ?? 0,
            keysWithTTL: keyspace?.expires ?? 0
        )
    }

    /// Hits over lookups, or `nil` before any lookup.
    public var hitRatio: Double? { hits + misses == 0 ? nil : Double(hits) / Double(hits + misses) }

    /// Keys without an expiry.
    public var keysWithoutTTL: Int64 { keys - keysWithTTL }

    /// Plain-language recommendations, most pressing first.
    public var recommendations: [String] {
        var advice: [String] = []
        if maxMemory > 0 && Double(usedMemory) > 0.9 * Double(maxMemory) {
            let percent = Int((Double(usedMemory) / Double(maxMemory) * 100).rounded())
            advice.append(
                "Memory is at \(percent)% of maxmemory: add memory, shorten TTLs, or drop patterns nobody reads."
            )
        }
        if maxMemory > 0 && evictionPolicy == "noeviction" {
            advice.append(
                "maxmemory-policy is noeviction: writes will fail when memory is full; a cache usually wants "
                    + "allkeys-lru or volatile-lru."
            )
        }
        if evictedKeys > 0 {
            advice.append("\(evictedKeys) keys were evicted: the cache is smaller than what is loaded into it.")
        }
        if let ratio = hitRatio, hits + misses >= 1_000, ratio < 0.8 {
            let percent = Int((ratio * 100).rounded())
            advice.append(
                "The hit ratio is \(percent)%: readers ask for keys that are not loaded or have expired; "
                    + "check key templates and TTLs against what readers ask for."
            )
        }
        if keys > 0 && keysWithoutTTL > 0 {
            let percent = Int((Double(keysWithoutTTL) / Double(keys) * 100).rounded())
            advice.append(
                "\(keysWithoutTTL) keys (\(percent)%) have no TTL and stay until deleted: give them one with a "
                    + "default TTL or a pattern rule (--ttl-rule 'PATTERN=SECONDS')."
            )
        }
        for pattern in patterns where pattern.sampledKeys >= 10 && pattern.bytesPerKey > 1_024 {
            advice.append(
                "Keys under \(pattern.pattern) take \(Int(pattern.bytesPerKey)) bytes each: MessagePack values "
                    + "(--value-format msgpack) or fewer columns would make them smaller."
            )
        }
        return advice
    }

    enum CodingKeys: String, CodingKey {
        case hits
        case misses
        case usedMemory = "used_memory"
        case maxMemory = "max_memory"
        case evictionPolicy = "eviction_policy"
        case evictedKeys = "evicted_keys"
        case keys
        case keysWithTTL = "keys_with_ttl"
        case patterns
        case biggestKeys = "biggest_keys"
    }
}
