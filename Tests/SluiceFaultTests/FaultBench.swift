import Foundation
import SluiceTesting

/// The servers and working directory of one target's fault test, and fresh tables on them.
///
/// Unchecked `Sendable`: one test's task uses it (the table counter is never touched concurrently); it crosses to
/// a thread only to be made (``make(_:postgres:redis:)``).
final class FaultBench: @unchecked Sendable {
    let target: FaultTarget
    let directory: URL
    private let postgres: (server: PostgresServer, database: String)?
    private let redis: [RedisServer]
    private let cluster: RedisCluster?
    private var made = 0

    /// Sets up `target`'s servers: the shared PostgreSQL server (a database of its own), the shared Redis server,
    /// or a Redis Cluster of its own — or the server (nodes) given, for tests that kill them.
    init(_ target: FaultTarget, postgres given: PostgresServer? = nil, redis nodes: [RedisServer]? = nil) throws {
        self.target = target
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-fault-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var postgres: (PostgresServer, String)?
        var cluster: RedisCluster?
        var redis: [RedisServer] = nodes ?? []
        switch target {
        case .postgres:
            let server = try given ?? PostgresServer.shared
            postgres = (server, try server.createDatabase(prefix: "faults"))
        case .redis where nodes == nil:
            redis = [try RedisServer.shared]
        case .redisCluster where nodes == nil:
            cluster = try RedisCluster.start()
            redis = cluster?.nodes ?? []
        default:
            break
        }
        self.postgres = postgres
        self.cluster = cluster
        self.redis = redis
    }

    /// ``init(_:postgres:redis:)`` off the cooperative pool (it starts servers and runs `psql`).
    static func make(
        _ target: FaultTarget,
        postgres: PostgresServer? = nil,
        redis nodes: [RedisServer]? = nil
    ) async throws -> FaultBench {
        try await onThread { try FaultBench(target, postgres: postgres, redis: nodes) }
    }

    deinit {
        cluster?.discard()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A table no load has touched yet, named `label` in messages.
    func freshTable(_ label: String) -> FaultTable {
        made += 1
        let name = "\(label)_\(made)"
        switch target {
        case .sqlite:
            let path = directory.appendingPathComponent("\(name).sqlite").path
            return FaultTable(target: "sqlite:\(path)", table: "prices", loadFlags: []) {
                try Self.sqliteDigest(path)
            }
        case .postgres:
            guard let (server, database) = postgres else { preconditionFailure("no PostgreSQL database") }
            let table = "prices_\(name)"
            return FaultTable(target: server.url(database: database), table: table, loadFlags: []) {
                try Self.postgresDigest(server, database: database, table: table)
            }
        case .parquet, .csvGzip:
            let path = directory.appendingPathComponent(name).path
            return FaultTable(target: "file:\(path)", table: "prices", loadFlags: target.writingFlags) { nil }
        case .redis, .redisCluster:
            let namespace = "f\(FaultPlan.seed % 100_000)-\(name)"
            let query = "namespace=\(namespace)&lock_ttl=5" + (target == .redisCluster ? "&cluster=true" : "")
            let nodes = redis
            return FaultTable(target: nodes[0].url() + "?" + query, table: "prices", loadFlags: []) {
                try Self.redisDigest(nodes, prefix: "\(namespace):prices")
            }
        }
    }

    // MARK: Independent readers

    /// Every row through the `sqlite3` shell, in key order.
    static func sqliteDigest(_ path: String) throws -> String? {
        let outcome = try SluiceProcess.runTool(
            "sqlite3",
            [
                "-batch", "-noheader", "-readonly", path,
                "SELECT symbol, date, close, volume FROM prices ORDER BY 1, 2, 3, 4",
            ],
            in: URL(fileURLWithPath: "/")
        )
        guard outcome.status == 0 else { throw FaultError("sqlite3 \(path): \(outcome.error)") }
        return TableDigest(lines: outcome.output.split(separator: "\n").map(String.init)).description
    }

    /// Every row through `psql`, as PostgreSQL prints it, in text order.
    static func postgresDigest(_ server: PostgresServer, database: String, table: String) throws -> String? {
        let quoted = PostgresServer.quoted(table)
        let output = try server.psql(
            "SELECT concat_ws(',', symbol, date, close, volume) AS line FROM \(quoted) ORDER BY 1",
            database: database
        )
        return TableDigest(lines: output.split(separator: "\n").map(String.init)).description
    }

    /// Every data key under `prefix` with its value (stream entries: their fields), read by a Lua script on each
    /// node, the prefix cut off so that tables in other namespaces compare.
    static func redisDigest(_ nodes: [RedisServer], prefix: String) throws -> String? {
        var lines: [String] = []
        for node in nodes {
            let output = try node.cli("EVAL", redisScript, "0", prefix)
            lines += output.split(separator: "\n").map(String.init)
        }
        return TableDigest(lines: lines.sorted()).description
    }

    static let redisScript = """
        #!lua flags=allow-cross-slot-keys,no-writes
        local out = {}
        local n = #ARGV[1]
        for _, k in ipairs(redis.call('KEYS', ARGV[1] .. '*')) do
          local name = string.sub(k, n + 1)
          local t = redis.call('TYPE', k)['ok']
          if t == 'string' then
            out[#out + 1] = name .. '=' .. redis.call('GET', k)
          elseif t == 'stream' then
            for _, e in ipairs(redis.call('XRANGE', k, '-', '+')) do
              out[#out + 1] = name .. '#' .. table.concat(e[2], ',')
            end
          else
            out[#out + 1] = name .. ':' .. t
          end
        end
        return out
        """
}

/// One table of a target: where it is, the extra flags its loads take, and an independent reader of its rows
/// (`nil` where there is none but Sluice's own: the file target, whose files `sluice verify` checks against the
/// manifest).
struct FaultTable: Sendable {
    let target: String
    let table: String
    let loadFlags: [String]
    let digest: @Sendable () throws -> String?
}

/// A table's rows in a few characters: their count and an FNV-1a hash of the sorted lines.
struct TableDigest: CustomStringConvertible {
    let count: Int
    let hash: UInt64

    init(lines: [String]) {
        count = lines.count
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for line in lines.sorted() {
            for byte in line.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0x0a) &* 0x100_0000_01b3
        }
        self.hash = hash
    }

    var description: String { "\(count) rows, fnv \(String(hash, radix: 16))" }
}

struct FaultError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = "\(description) (\(FaultPlan.replay))" }
}
