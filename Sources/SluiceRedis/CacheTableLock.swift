import Foundation
import RESP
import Sluice

/// The lock a load holds on one table (`SET {ns:table}:_sluice:lock <id> NX PX …`): loads of one table queue,
/// loads of different tables run side by side. It expires on its own if its holder dies.
struct CacheTableLock: Sendable {
    /// How long the lock lives without its holder: 10 minutes.
    static let lifetimeMilliseconds = 600_000

    let key: String
    let token: String
    let server: CacheServer

    /// Waits until the lock of `keys`'s table is free and takes it (polling every 50 ms, for at most the lock's
    /// lifetime).
    static func acquire(_ keys: CacheTableKeys, server: CacheServer) async throws -> CacheTableLock {
        let token = UUIDv7.make()
        let deadline = ContinuousClock.now + .milliseconds(lifetimeMilliseconds)
        while true {
            let reply = try await server.send(
                RESPCommand("SET", .string(keys.lock), .string(token), "NX", "PX", .integer(lifetimeMilliseconds))
            )
            if !reply.isNull { return CacheTableLock(key: keys.lock, token: token, server: server) }
            guard ContinuousClock.now < deadline else {
                throw SluiceError(.transient, "table '\(keys.table)': another load has held the table's lock too long")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Whether the lock is still this load's: a server that restarted without persistence, or a flush, loses it
    /// (and with it the data written so far).
    func isHeld() async throws -> Bool {
        try await server.send(RESPCommand("GET", .string(key))).string == token
    }

    /// Extends the lock's life to ``lifetimeMilliseconds`` from now, if it is still this load's: a load longer than
    /// the lifetime keeps its lock as long as it renews it.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`targetFailure`) when the lock is no longer this load's.
    func renew() async throws {
        let script =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0"
        let reply = try await server.send(
            RESPCommand("EVAL", .string(script), 1, .string(key), .string(token), .integer(Self.lifetimeMilliseconds))
        )
        guard reply.int == 1 else {
            throw SluiceError(
                .targetFailure,
                "the load lost its lock \(key) (the server restarted without persistence, or was flushed)"
            )
        }
    }

    /// Gives the lock back, if it is still this load's.
    func release() async {
        let script = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"
        _ = try? await server.send(RESPCommand("EVAL", .string(script), 1, .string(key), .string(token)))
    }
}
