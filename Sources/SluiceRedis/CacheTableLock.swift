import Foundation
import RESP
import Sluice

/// The lock a load holds on one table (`SET {ns:table}:_sluice:lock <id> NX PX …`): loads of one table queue,
/// loads of different tables run side by side.
///
/// It lives ``lifetime`` (default 10 minutes, the target's `lock_ttl=`) and its holder renews it every third of
/// that (``holding(_:)``), so a loader that dies — SIGKILL, a crash, a lost machine — blocks the table's next load
/// for at most one lifetime. A short lifetime (`lock_ttl=30s`) frees the table sooner, but a holder whose tasks
/// cannot run for that long (a starved cooperative pool) loses its lock and fails before recording a version.
struct CacheTableLock: Sendable {
    /// The default life of a lock whose holder stopped renewing it: 10 minutes.
    static let defaultLifetime: Duration = .seconds(600)
    /// How long a load waits for another load's lock before it gives up: 10 minutes.
    static let longestWait: Duration = .seconds(600)

    let key: String
    let token: String
    let server: CacheServer
    /// How long the lock lives without renewal.
    let lifetime: Duration

    /// The lifetime in milliseconds, as `PX` and `PEXPIRE` take it.
    private var lifetimeMilliseconds: Int {
        Int(lifetime.components.seconds * 1000 + lifetime.components.attoseconds / 1_000_000_000_000_000)
    }

    /// Waits until the lock of `keys`'s table is free and takes it (polling every 50 ms, for at most
    /// ``longestWait``).
    static func acquire(
        _ keys: CacheTableKeys,
        server: CacheServer,
        lifetime: Duration = defaultLifetime
    ) async throws -> CacheTableLock {
        let lock = CacheTableLock(key: keys.lock, token: UUIDv7.make(), server: server, lifetime: lifetime)
        let deadline = ContinuousClock.now + longestWait
        while true {
            let reply = try await server.send(
                RESPCommand(
                    "SET",
                    .string(lock.key),
                    .string(lock.token),
                    "NX",
                    "PX",
                    .integer(lock.lifetimeMilliseconds)
                )
            )
            if !reply.isNull { return lock }
            guard ContinuousClock.now < deadline else {
                throw SluiceError(.transient, "table '\(keys.table)': another load has held the table's lock too long")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Runs `body` while a child task renews the lock every third of its ``lifetime``. A renewal that fails for a
    /// passing reason (a restarting server, a timeout) is tried again at the next beat; a lock found lost ends the
    /// heartbeat and is left to the load's own check, ``isHeld()``, before it records its version.
    func holding<Result>(_ body: () async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while true {
                    try await Task.sleep(for: lifetime / 3)
                    do {
                        try await renew()
                    } catch let error as SluiceError where error.code == .targetFailure {
                        return
                    } catch {
                        continue
                    }
                }
            }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    /// Whether the lock is still this load's: a server that restarted without persistence, or a flush, loses it
    /// (and with it the data written so far).
    func isHeld() async throws -> Bool {
        try await server.send(RESPCommand("GET", .string(key))).string == token
    }

    /// Extends the lock's life to ``lifetime`` from now, if it is still this load's: a load longer than
    /// the lifetime keeps its lock as long as it renews it.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`targetFailure`) when the lock is no longer this load's.
    func renew() async throws {
        let script =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0"
        let reply = try await server.send(
            RESPCommand("EVAL", .string(script), 1, .string(key), .string(token), .integer(lifetimeMilliseconds))
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
