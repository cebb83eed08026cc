import Logging
import RESP
import Sluice

/// One wait for a table's lock that another holds: it says whom it waits for, takes over the lock of a dead process
/// of this host, and gives up after its timeout with an error naming the holder.
struct CacheLockWait {
    /// How often a waiting load repeats who holds the lock: every 10 seconds (and once when it starts waiting).
    static let reportInterval: Duration = .seconds(10)
    /// How often the lock is tried again.
    static let pollInterval: Duration = .milliseconds(50)

    let table: String
    let key: String
    let server: CacheServer
    let timeout: Duration
    let logger: Logger
    private let started = ContinuousClock.now
    private var reported: (at: ContinuousClock.Instant, holder: String)?

    init(table: String, key: String, server: CacheServer, timeout: Duration, logger: Logger) {
        self.table = table
        self.key = key
        self.server = server
        self.timeout = timeout
        self.logger = logger
    }

    /// Called after the lock was found taken: reads who holds it, takes over a dead holder's lock, reports, and
    /// sleeps until the next try.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`transient`) when the wait has lasted `timeout`.
    mutating func holderFound() async throws {
        guard let (value, expiry) = try await holder() else { return }  // released meanwhile: try again at once
        let holder = CacheLockHolder(parsing: value)
        if holder.isDeadOnThisHost {
            if try await CacheTableLock.delete(key, ifValueIs: value, server: server) {
                logger.warning(
                    "table '\(table)': took over the table's lock from \(holder.description): that process no longer exists"
                )
            }
            return
        }
        let now = ContinuousClock.now
        // Said before any timeout, so that even a wait that gives up at its first look has said whom it waited for.
        if reported.map({ now - $0.at >= Self.reportInterval || $0.holder != value }) ?? true {
            reported = (now, value)
            let most = Self.text(timeout)
            logger.notice(
                "table '\(table)': waiting for the table's lock, held by \(holder.description), which \(Self.expiry(expiry)) (waiting at most \(most) in all)"
            )
        }
        guard now - started < timeout else {
            throw SluiceError(
                .transient,
                "table '\(table)': gave up after \(Self.text(now - started)) waiting for the table's lock, held by "
                    + "\(holder.description), which \(Self.expiry(expiry)) (--lock-timeout or lock_timeout= waits longer)"
            )
        }
        try await Task.sleep(for: min(Self.pollInterval, timeout - (now - started)))
    }

    /// The lock's value and its `PTTL` (milliseconds; -1 without expiry), read in one step; `nil` when it is free.
    private func holder() async throws -> (String, Int)? {
        let script = "return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}"
        let reply = try await server.send(CacheScript(script, key: key))
        guard let elements = reply.elements, elements.count == 2, let value = elements[0].string else { return nil }
        return (value, elements[1].int ?? -2)
    }

    /// `expires in 9m55s unless renewed`, or that it never expires.
    private static func expiry(_ milliseconds: Int) -> String {
        guard milliseconds >= 0 else { return "never expires (it has no TTL; if no load runs, delete it by hand)" }
        return "expires in \(CacheLockHolder.text(milliseconds: Int64(milliseconds))) unless its holder renews it"
    }

    private static func text(_ duration: Duration) -> String {
        CacheLockHolder.text(milliseconds: Int64(CacheTableLock.milliseconds(duration)))
    }
}
