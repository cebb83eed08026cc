import Foundation
import RESP
import SluiceTesting
import Testing

@testable import SluiceRedis

/// The table lock against a real server: one holder at a time, renewal, and a lost lock noticed.
@Suite("Cache table lock")
struct CacheTableLockTests {
    @Test("a second load waits for the lock; renewal extends it; a lock lost to a flush is noticed")
    func lock() async throws {
        let server = try RedisServer.shared
        let keys = CacheTableKeys(namespace: "lock-\(UUID().uuidString.prefix(8))", table: "prices")
        let configuration = RESPClient.Configuration(connection: try RESPConnection.Configuration(url: server.url()))
        try await withRESPClient(configuration) { client in
            let cache = CacheServer.single(client)
            let first = try await CacheTableLock.acquire(keys, server: cache)
            #expect(try await first.isHeld())
            _ = try server.cli("PEXPIRE", keys.lock, "5000")
            try await first.renew()
            let ttl = Int(try server.cli("PTTL", keys.lock)) ?? 0
            #expect(ttl > 5_000, "renewed to the lock's lifetime, PTTL \(ttl)")
            let waited = ContinuousClock.now
            async let second = CacheTableLock.acquire(keys, server: cache)
            try await Task.sleep(for: .milliseconds(300))
            await first.release()
            let next = try await second
            #expect(ContinuousClock.now - waited >= .milliseconds(300))
            #expect(try await next.isHeld())
            _ = try server.cli("DEL", keys.lock)
            #expect(try await !next.isHeld())
            await #expect(throws: (any Error).self) { try await next.renew() }
        }
    }
}
