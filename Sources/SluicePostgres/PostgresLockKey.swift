import Logging
import PostgresNIO

/// The advisory locks Sluice takes, named in this one place.
///
/// A key is text that the server hashes whole with `hashtext` (bound as a parameter, never cut to an identifier's
/// 63 bytes): tables whose names share a long prefix still get different keys. Two names whose 32-bit hashes
/// collide only make their loads wait for each other; they never share data.
enum PostgresLockKey {
    /// Creating Sluice's own tables (`_sluice_versions`, `_sluice_partitions`, `_sluice_settings`).
    static let catalog = "sluice:catalog"

    /// The transaction-scoped lock of one table: a load's, a rollback's, an archive's delete.
    static func table(_ table: String) -> String { "sluice:table:" + table }

    /// The session-level lock a load holds from planning to commit (``PostgresLoadLock``).
    static func load(_ table: String) -> String { "sluice:load:" + table }
}

extension PostgresConnection {
    /// Takes the advisory lock `key` (a ``PostgresLockKey``) until the current transaction ends.
    func lockForTransaction(_ key: String, logger: Logger) async throws {
        try await execute("SELECT pg_advisory_xact_lock(hashtext($1))", .texts(key), logger: logger)
    }
}
