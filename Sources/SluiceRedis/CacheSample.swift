import NIOCore
import RESP
import Sluice

/// What a sample of keys says: keys, bytes and keys without a TTL per pattern, and the biggest keys.
///
/// A key counts under the first of ``patterns`` it matches, or under ``otherGroup``; without patterns, under its
/// first two `:`-separated segments (`sluice:prices:AAPL` under `sluice:prices:*`, `session:42` under
/// `session:*`, a key without `:` under ``otherGroup``).
struct CacheSample: Sendable {
    /// The group of keys that no pattern covers (or, without patterns, that hold no `:`).
    static let otherGroup = "(other)"

    /// The patterns keys are grouped by; empty: by their first two segments.
    let patterns: [KeyPattern]
    /// How many of the biggest keys are kept.
    let biggestCount: Int
    /// Keys measured.
    private(set) var count = 0
    /// The biggest keys measured, biggest first (ties by key).
    private(set) var biggest: [CacheStatistics.KeySize] = []
    private var groups: [String: CacheStatistics.PatternMemory] = [:]

    init(patterns: [KeyPattern], biggestCount: Int) {
        self.patterns = patterns
        self.biggestCount = biggestCount
    }

    /// The groups, biggest sampled bytes first (ties by pattern).
    var patternMemory: [CacheStatistics.PatternMemory] {
        groups.values.sorted {
            ($0.sampledBytes, $1.pattern) > ($1.sampledBytes, $0.pattern)
        }
    }

    /// Counts one key of `bytes` bytes.
    mutating func add(key: ByteBuffer, bytes: Int64, hasTTL: Bool) {
        let name = group(of: key)
        var memory = groups[name] ?? .init(pattern: name, sampledKeys: 0, sampledBytes: 0, sampledWithoutTTL: 0)
        memory.sampledKeys += 1
        memory.sampledBytes += bytes
        if !hasTTL { memory.sampledWithoutTTL += 1 }
        groups[name] = memory
        count += 1
        keep([.init(key: String(buffer: key), bytes: bytes)])
    }

    /// Adds another sample's figures (of another cluster node).
    mutating func merge(_ other: CacheSample) {
        for (name, memory) in other.groups {
            var merged = groups[name] ?? .init(pattern: name, sampledKeys: 0, sampledBytes: 0, sampledWithoutTTL: 0)
            merged.sampledKeys += memory.sampledKeys
            merged.sampledBytes += memory.sampledBytes
            merged.sampledWithoutTTL += memory.sampledWithoutTTL
            groups[name] = merged
        }
        count += other.count
        keep(other.biggest)
    }

    /// The group `key` counts under.
    func group(of key: ByteBuffer) -> String {
        let bytes = key.readableBytesView
        guard !patterns.isEmpty else { return Self.defaultGroup(of: bytes) }
        return patterns.first { $0.matches(bytes) }?.text ?? Self.otherGroup
    }

    /// The pattern of a key's first two `:`-separated segments, their glob characters escaped.
    static func defaultGroup(of key: some Collection<UInt8>) -> String {
        let colon = UInt8(ascii: ":")
        guard let first = key.firstIndex(of: colon) else { return otherGroup }
        let rest = key[key.index(after: first)...]
        let end = rest.firstIndex(of: colon) ?? first
        let prefix = String(decoding: key[...end], as: UTF8.self)
        return KeyPattern.escaped(prefix) + "*"
    }

    private mutating func keep(_ keys: [CacheStatistics.KeySize]) {
        biggest += keys
        biggest.sort { ($0.bytes, $1.key) > ($1.bytes, $0.key) }
        if biggest.count > biggestCount { biggest.removeLast(biggest.count - biggestCount) }
    }
}

extension CacheSample {
    /// Measures `keys` on `connection` — `MEMORY USAGE key SAMPLES 0` and `PTTL key` for each, in one pipeline —
    /// and adds them; a key that is gone by then is skipped.
    ///
    /// - Throws: ``Sluice/SluiceError`` naming the server when a reply is an error (`MEMORY` renamed away, no
    ///   permission) or the connection fails.
    mutating func measure(_ keys: [ByteBuffer], on connection: RESPConnection) async throws {
        guard !keys.isEmpty else { return }
        let outcome: PipelineOutcome
        do {
            outcome = try await connection.pipeline(commands: Self.commands(measuring: keys), collectingReplies: true)
        } catch {
            throw SluiceError.cacheOperation("MEMORY USAGE", address: connection.address, error)
        }
        if let failure = outcome.errors.first {
            throw SluiceError(
                .targetFailure,
                "redis \(connection.address): MEMORY USAGE and PTTL of sampled keys failed: \(failure.error.message)"
            )
        }
        let replies = outcome.replies
        guard replies.count == 2 * keys.count else {
            throw SluiceError(.targetFailure, "redis \(connection.address): MEMORY USAGE and PTTL replies went missing")
        }
        for (index, key) in keys.enumerated() {
            guard let bytes = replies[2 * index].int, let ttl = replies[2 * index + 1].int, ttl != -2 else { continue }
            add(key: key, bytes: Int64(bytes), hasTTL: ttl >= 0)
        }
    }

    /// `MEMORY USAGE key SAMPLES 0` and `PTTL key` for every key, in that order.
    static func commands(measuring keys: [ByteBuffer]) -> [RESPCommand] {
        var commands: [RESPCommand] = []
        commands.reserveCapacity(2 * keys.count)
        for key in keys {
            commands.append(RESPCommand("MEMORY", "USAGE", .bytes(key), "SAMPLES", 0))
            commands.append(RESPCommand("PTTL", .bytes(key)))
        }
        return commands
    }
}
