import NIOCore
import RESP
import Sluice

/// Collects a cache's ``CacheStatistics`` from a live server: what `sluice cache stats` prints.
///
/// The server-wide figures come from `INFO` (hits and misses, memory, the eviction policy, evicted keys) and the
/// database's from `DBSIZE` and the `keyspace` section. Memory per pattern, keys without a TTL per pattern and
/// the biggest keys come from a sample: `SCAN … COUNT 1000` until ``sampleSize`` keys are seen, each measured
/// with `MEMORY USAGE key SAMPLES 0` and `PTTL key`, pipelined a page at a time. A sample of a large cache is
/// the keys `SCAN` meets first, which are spread over the hash table; ``CacheStatistics/estimatedKeys(of:)``
/// scales a pattern's figures to the whole database.
///
/// ```swift
/// let connection = try await RESPConnection.connect(.init(url: "redis://127.0.0.1:6379/0"))
/// let statistics = try await CacheInspector(sampleSize: 5_000).inspect(connection, database: 0)
/// print(statistics.summaryLines.joined(separator: "\n"))
/// ```
///
/// Nothing is written, but two costs are worth knowing. `MEMORY USAGE` with `SAMPLES 0` reads every element of
/// a big aggregate, so a sample with huge hashes or lists costs the server that much work once. And `PTTL` counts
/// as a keyspace lookup: an inspection adds a hit per sampled key (a miss per key gone meanwhile) to the server's
/// counters, after reading them, so the *next* inspection's hit ratio includes them (`sampleSize` 0 avoids it).
public struct CacheInspector: Sendable {
    /// The sample size when none is given: 10 000 keys.
    public static let defaultSampleSize = 10_000

    /// The most keys measured (0: none; the statistics then hold the server's figures only).
    public var sampleSize: Int
    /// The patterns memory is grouped by, first match wins, the rest under `(other)`; empty (the default): by
    /// each key's first two `:`-separated segments (`sluice:prices:*`).
    public var patterns: [KeyPattern]
    /// How many of the biggest sampled keys are reported; default 10.
    public var biggestKeyCount: Int
    /// `SCAN`'s `COUNT` hint; default 1000.
    public var scanCount: Int

    /// An inspector that samples up to `sampleSize` keys and groups them by `patterns`.
    public init(sampleSize: Int = CacheInspector.defaultSampleSize, patterns: [KeyPattern] = []) {
        self.sampleSize = max(0, sampleSize)
        self.patterns = patterns
        biggestKeyCount = 10
        scanCount = 1000
    }

    /// The statistics of database `database`, which `connection` must have selected (the URL's database).
    ///
    /// - Throws: ``Sluice/SluiceError`` naming the server when a command fails.
    public func inspect(_ connection: RESPConnection, database: Int) async throws -> CacheStatistics {
        var statistics = try await serverFigures(connection, database: database)
        let sample = try await sample(connection, limit: sampleSize)
        statistics.patterns = sample.patternMemory
        statistics.biggestKeys = sample.biggest
        return statistics
    }

    /// `INFO` and `DBSIZE`: the statistics without a sample.
    func serverFigures(_ connection: RESPConnection, database: Int) async throws -> CacheStatistics {
        do {
            let replies = try await connection.sendUnchecked([RESPCommand("INFO"), RESPCommand("DBSIZE")])
            guard let text = replies[0].string, !replies[0].isError, let keys = replies[1].int else {
                let line = replies.first(where: \.isError)?.string ?? "unexpected replies"
                throw SluiceError(.targetFailure, "redis \(connection.address): INFO and DBSIZE failed: \(line)")
            }
            var statistics = CacheStatistics(info: RedisInfo(parsing: text), db: database)
            statistics.keys = Int64(keys)
            return statistics
        } catch {
            throw SluiceError.cacheOperation("INFO", address: connection.address, error)
        }
    }

    /// Up to `limit` keys of the connection's database, measured.
    func sample(_ connection: RESPConnection, limit: Int) async throws -> CacheSample {
        var sample = CacheSample(patterns: patterns, biggestCount: biggestKeyCount)
        guard limit > 0 else { return sample }
        let scan = CacheKeyScan(count: scanCount)
        var seen = Set<ByteBuffer>()
        var cursor = "0"
        repeat {
            let reply: RESPValue
            do {
                reply = try await connection.sendUnchecked([scan.command(cursor: cursor)])[0]
            } catch {
                throw SluiceError.cacheOperation("SCAN", address: connection.address, error)
            }
            let page = try CacheKeyScan.page(reply, address: connection.address)
            // SCAN may return a key twice (while the table is rehashed): measure it once.
            let fresh = page.keys.filter { seen.insert($0).inserted }
            try await sample.measure(Array(fresh.prefix(limit - sample.count)), on: connection)
            cursor = page.cursor
        } while cursor != "0" && sample.count < limit
        return sample
    }
}
