import Foundation
import Logging
import RESP
import SluiceTesting
import Synchronization
import Testing

@testable import SluiceRedis

/// The lock's value names its holder; a waiting load reports it, times out naming it, and takes over a dead one.
@Suite("Cache table lock: holders and waits")
struct CacheLockWaitTests {
    /// Log lines at notice and above, kept for the test to read.
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }

        var logger: Logger {
            Logger(label: "test") { _ in Handler(lines: self) }
        }

        struct Handler: LogHandler {
            let lines: Lines
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .notice
            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }
            func log(event: LogEvent) {
                lines.lines.withLock { $0.append("\(event.level) \(event.message)") }
            }
        }
    }

    @Test("the value is compact JSON naming id, operation, host, pid and start; an old bare token still reads")
    func holderValue() throws {
        let holder = CacheLockHolder.current(id: "01abc", operation: "read")
        let parsed = CacheLockHolder(parsing: holder.value)
        #expect(parsed == holder)
        #expect(holder.value.hasPrefix(#"{"host":""#) && !holder.value.contains(" "))
        #expect(holder.pid == ProcessInfo.processInfo.processIdentifier && !holder.isDeadOnThisHost)
        #expect(holder.description.hasPrefix("read 01abc on host \(CacheLockHolder.hostName) (pid "))
        let old = CacheLockHolder(parsing: "dead-loader")
        #expect(old.id == "dead-loader" && old.host == nil && !old.isDeadOnThisHost)
        #expect(old.description == "load dead-loader (an older Sluice: host and pid not recorded)")
        let elsewhere = CacheLockHolder(id: "x", host: "another-host-\(UUID())", pid: 999_999, startedMilliseconds: 0)
        #expect(!elsewhere.isDeadOnThisHost, "a holder on another host is never judged dead")
        #expect(CacheLockHolder.text(milliseconds: 595_000) == "9m55s")
    }

    @Test("a waiting load reports the holder, gives up after its timeout naming it, and takes over a dead one")
    func waits() async throws {
        let server = try RedisServer.shared
        let keys = CacheTableKeys(namespace: "wait-\(UUID().uuidString.prefix(8))", table: "prices")
        let configuration = RESPClient.Configuration(connection: try RESPConnection.Configuration(url: server.url()))
        try await withRESPClient(configuration) { client in
            let cache = CacheServer.single(client)
            let lines = Lines()
            let held = try await CacheTableLock.acquire(keys, server: cache, id: "first")
            #expect(try server.cli("GET", keys.lock) == held.token)
            await #expect {
                _ = try await CacheTableLock.acquire(keys, server: cache, timeout: .seconds(1), logger: lines.logger)
            } throws: { error in
                // How long it waited depends on how busy the machine is; whom it waited for does not.
                "\(error)".contains(" waiting for the table's lock, held by load first on host ")
                    && "\(error)".contains("which expires in 9m")
            }
            #expect(lines.all.first?.hasPrefix("notice table 'prices': waiting for the table's lock, held by") == true)
            #expect(try await held.isHeld())
            await held.release()

            // A holder of this host whose process is gone.
            let gone = Process()
            gone.executableURL = URL(fileURLWithPath: "/bin/true")
            try gone.run()
            gone.waitUntilExit()
            let dead = CacheLockHolder(
                id: "dead",
                operation: "load",
                host: CacheLockHolder.hostName,
                pid: gone.processIdentifier,
                startedMilliseconds: 0
            )
            try server.cli("SET", keys.lock, dead.value, "PX", "600000")
            // The lock would live 10 minutes: a load that gets it within its 30 s timeout took it over.
            let next = try await CacheTableLock.acquire(
                keys,
                server: cache,
                timeout: .seconds(30),
                logger: lines.logger
            )
            #expect(try await next.isHeld())
            #expect(
                lines.all.contains { $0.hasPrefix("warning table 'prices': took over the table's lock from load dead") }
            )
            await next.release()
        }
    }

    @Test("in a cluster the lock's scripts go to the lock's node: a wait names the holder, renewal and release work")
    func cluster() async throws {
        try await withRedisCluster { cluster in
            let seed = try RESPConnection.Configuration(url: cluster.nodes[0].url())
            try await withRESPClusterClient(.init(connection: seed)) { client in
                let cache = CacheServer.cluster(client)
                // Tables whose locks live on each of the three nodes, whichever node the scripts' text hashes to.
                for table in ["a", "b", "c", "d", "e", "f"] {
                    let keys = CacheTableKeys(namespace: "cl", table: table)
                    let held = try await CacheTableLock.acquire(keys, server: cache, lifetime: .seconds(30))
                    try await held.renew()
                    await #expect {
                        _ = try await CacheTableLock.acquire(keys, server: cache, timeout: .seconds(1))
                    } throws: { error in
                        "\(error)".contains(" waiting for the table's lock, held by load ")
                    }
                    await held.release()
                    #expect(try await !held.isHeld(), "released: table \(table)")
                    let next = try await CacheTableLock.acquire(keys, server: cache, timeout: .seconds(1))
                    await next.release()
                }
            }
        }
    }
}
