import ArgumentParser
import Foundation
import RESP
import Sluice
import SluiceRedis

/// `sluice cache …`: look into a Redis cache and flush a namespace of it.
struct CacheCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Inspect a Redis cache (memory per pattern, keys without TTL, biggest keys) or flush a namespace.",
        subcommands: [CacheStatsCommand.self, CacheFlushCommand.self]
    )
}

/// `sluice cache stats --target redis://… [--pattern P]… [--sample N] [--json]`: hit ratio, memory, keys with and
/// without TTL, memory per pattern from a sample, the biggest keys, and recommendations.
struct CacheStatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show a Redis cache's hit ratio, memory, TTLs, memory per key pattern and biggest keys, with advice.",
        discussion: """
            Memory per pattern comes from a sample of keys (SCAN, then MEMORY USAGE and PTTL of each), scaled to \
            the whole database. Without --pattern, keys are grouped by their first two ':'-separated segments \
            (sluice:prices:*). A cluster is inspected on every primary and summed. PTTL counts as a lookup, so \
            the sample adds its keys to the server's hits, which the next run's hit ratio includes (--sample 0 \
            reads the server's figures only).
            """
    )

    @OptionGroup var target: CacheTargetOptions

    @Option(
        name: .customLong("pattern"),
        help: "Group memory by this Redis glob pattern (repeatable; first match wins, the rest under '(other)')."
    )
    var patterns: [String] = []

    @Option(name: .customLong("sample"), help: "The most keys to measure.")
    var sample = CacheInspector.defaultSampleSize

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard sample >= 0 else { throw ValidationError("--sample must be 0 or more") }
    }

    func run() async throws {
        var resolved: CacheTarget?
        do {
            let target = try self.target.resolved()
            resolved = target
            let inspector = CacheInspector(sampleSize: sample, patterns: patterns.map { KeyPattern($0) })
            let statistics: CacheStatistics
            if target.isCluster {
                statistics = try await inspector.inspect(cluster: target.configuration)
            } else {
                let database = target.configuration.database
                statistics = try await target.withConnection { try await inspector.inspect($0, database: database) }
            }
            Terminal.print(output.json ? try json(statistics, target: target) : text(statistics, target: target))
        } catch {
            Terminal.report(resolved.map { $0.failure("cache stats", error) } ?? error)
            throw ExitCode.failure
        }
    }

    func text(_ statistics: CacheStatistics, target: CacheTarget) -> String {
        var lines = ["target  \(target.redacted)", ""] + statistics.summaryLines
        let advice = statistics.recommendations
        if !advice.isEmpty { lines += [""] + advice.map { "advice  \($0)" } }
        return lines.joined(separator: "\n")
    }

    /// The statistics' own fields, plus the target, the derived figures, per-pattern estimates and the advice.
    func json(_ statistics: CacheStatistics, target: CacheTarget) throws -> String {
        var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(statistics)) as? [String: Any] ?? [:]
        object["target"] = target.redacted
        object["hit_ratio"] = statistics.hitRatio ?? NSNull()
        object["keys_without_ttl"] = statistics.keysWithoutTTL
        object["sampled_keys"] = statistics.sampledKeys
        object["recommendations"] = statistics.recommendations
        object["patterns"] = statistics.patterns.map { pattern -> [String: Any] in
            [
                "pattern": pattern.pattern, "sampled_keys": pattern.sampledKeys,
                "sampled_bytes": pattern.sampledBytes, "sampled_without_ttl": pattern.sampledWithoutTTL,
                "bytes_per_key": pattern.bytesPerKey, "estimated_keys": statistics.estimatedKeys(of: pattern),
                "estimated_bytes": statistics.estimatedBytes(of: pattern),
            ]
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}

/// `sluice cache flush --target redis://… --namespace N [--json]`: delete the namespace's keys (SCAN + UNLINK).
struct CacheFlushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flush",
        abstract: "Delete every key of a namespace (N:*) from a Redis cache, never FLUSHALL.",
        discussion: """
            Keys are found with SCAN MATCH 'N:*' and deleted with UNLINK, a page at a time; the namespace is \
            taken literally (its glob characters are escaped). A cluster is flushed on every primary. Other \
            namespaces, and keys that only start with the same letters (N2:…), stay.
            """
    )

    @OptionGroup var target: CacheTargetOptions

    @Option(help: "The namespace to delete: keys NAMESPACE:… (required, not empty).")
    var namespace: String

    @OptionGroup var output: OutputOptions

    func run() async throws {
        var resolved: CacheTarget?
        do {
            let flush = try CacheFlush(namespace: namespace)
            let target = try self.target.resolved()
            resolved = target
            let unlinked: Int
            if target.isCluster {
                unlinked = try await flush.flush(cluster: target.configuration)
            } else {
                unlinked = try await target.withConnection { try await flush.flush($0) }
            }
            if output.json {
                var object = JSONObject()
                object["target"] = .string(target.redacted)
                object["namespace"] = .string(namespace)
                object["unlinked"] = .int(unlinked)
                Terminal.print(object.text)
            } else {
                Terminal.print(
                    "namespace '\(namespace)': unlinked \(Formatting.count(unlinked)) key\(unlinked == 1 ? "" : "s") "
                        + "from \(target.redacted)"
                )
            }
        } catch {
            Terminal.report(resolved.map { $0.failure("cache flush", error) } ?? error)
            throw ExitCode.failure
        }
    }
}
