import Foundation
import Logging
import RESP
import Sluice

/// The lock a load (or a read) holds on one table (`SET {ns:table}:_sluice:lock <holder> NX PX …`): loads and reads
/// of one table queue, other tables run side by side. The value names the holder (``CacheLockHolder``: id, host,
/// pid, start), so a waiting load can say whom it waits for, and take over at once the lock of a dead process of
/// its own host.
///
/// It lives ``lifetime`` (default 10 minutes, the target's `lock_ttl=`) and its holder renews it every third of
/// that (``holding(_:)``), so a loader that dies — SIGKILL, a crash, a lost machine — blocks the table's next load
/// for at most one lifetime. A short lifetime (`lock_ttl=30s`) frees the table sooner, but a holder whose tasks
/// cannot run for that long (a starved cooperative pool) loses its lock and fails before recording a version.
struct CacheTableLock: Sendable {
    /// The default life of a lock whose holder stopped renewing it: 10 minutes.
    static let defaultLifetime: Duration = .seconds(600)
    /// How long a load waits for another load's lock before it gives up, unless told otherwise (`lock_timeout=`,
    /// `--lock-timeout`): 10 minutes.
    static let longestWait: Duration = .seconds(600)

    let key: String
    /// Who holds the lock: this load. Its ``CacheLockHolder/value`` is the lock's value, and its token.
    let holder: CacheLockHolder
    let server: CacheServer
    /// How long the lock lives without renewal.
    let lifetime: Duration

    /// The lock's value while this load holds it (compared whole by renewal and release).
    var token: String { holder.value }

    /// The lifetime in milliseconds, as `PX` and `PEXPIRE` take it.
    var lifetimeMilliseconds: Int { Self.milliseconds(lifetime) }

    /// Waits until the lock of `keys`'s table is free and takes it, polling every 50 ms for at most `timeout`.
    ///
    /// While it waits it tells `logger` (at `notice`, which the CLI prints by default) who holds the lock and when
    /// that expires: once at once, then every ``CacheLockWait/reportInterval``. A holder that is a process of this
    /// host that no longer exists is taken over at once (``CacheLockWait``).
    ///
    /// - Parameters:
    ///   - id: the load's id, recorded in the lock's value (a new UUIDv7 by default).
    ///   - operation: what takes the lock, `load` or `read`, recorded in the lock's value.
    /// - Throws: ``Sluice/SluiceError`` (`transient`) naming the holder and the lock's expiry when `timeout` passes.
    static func acquire(
        _ keys: CacheTableKeys,
        server: CacheServer,
        lifetime: Duration = defaultLifetime,
        timeout: Duration = longestWait,
        id: String = UUIDv7.make(),
        operation: String = "load",
        logger: Logger = Logger(label: "sluice.redis")
    ) async throws -> CacheTableLock {
        let lock = CacheTableLock(
            key: keys.lock,
            holder: .current(id: id, operation: operation),
            server: server,
            lifetime: lifetime
        )
        var wait = CacheLockWait(table: keys.table, key: keys.lock, server: server, timeout: timeout, logger: logger)
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
            try await wait.holderFound()
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
            CacheScript(script, key: key, [.string(token), .integer(lifetimeMilliseconds)])
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
        _ = try? await Self.delete(key, ifValueIs: token, server: server)
    }

    /// Deletes `key` if it still holds `value` (one `EVAL`, so a lock taken meanwhile by another load survives);
    /// returns whether it did.
    static func delete(_ key: String, ifValueIs value: String, server: CacheServer) async throws -> Bool {
        let script = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0"
        return try await server.send(CacheScript(script, key: key, [.string(value)])).int == 1
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}
