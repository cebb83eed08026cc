import Logging
import Sluice

extension RedisLoader {
    /// Takes `table`'s lock for a load or a read (``CacheTableLock``), waiting at most the target's `lock_timeout=`
    /// and telling the loader's logger whom it waits for.
    ///
    /// The lock's value records the logger's `load_id` (the CLI's load id) when it has one, so that the id a waiting
    /// load names is the one the holder's own log lines and report carry.
    func lockTable(
        _ table: String,
        for operation: String = "load",
        lifetime: Duration? = nil
    ) async throws
        -> CacheTableLock
    {
        try await CacheTableLock.acquire(
            keys(table),
            server: server,
            lifetime: lifetime ?? options.lockLifetime,
            timeout: options.lockTimeout,
            id: logger[metadataKey: "load_id"].map { "\($0)" } ?? UUIDv7.make(),
            operation: operation,
            logger: logger
        )
    }
}
