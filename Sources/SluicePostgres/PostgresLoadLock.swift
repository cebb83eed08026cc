import Logging
import PostgresNIO

/// The session-level advisory lock that makes loads of one table run one at a time, across processes: taken
/// before a load reads the table's schema and latest version, released after it committed or failed.
///
/// It is a different lock from the transaction-scoped one each load transaction takes (``PostgresLockKey/table(_:)``), so that
/// a retry on another connection cannot deadlock with the connection still holding this one.
enum PostgresLoadLock {
    /// Runs `body` holding the load lock of `table` on `connection`.
    static func holding<Result: Sendable>(
        _ connection: PostgresConnection,
        table: String,
        logger: Logger,
        _ body: () async throws -> Result
    ) async throws -> Result {
        let key = PostgresBindings.texts(PostgresLockKey.load(table))
        try await connection.execute("SELECT pg_advisory_lock(hashtext($1))", key, logger: logger)
        let result: Result
        do {
            result = try await body()
        } catch {
            await release(connection, key: key, logger: logger)
            throw error
        }
        await release(connection, key: key, logger: logger)
        return result
    }

    /// Releases the lock; a connection that has gone took it with it.
    private static func release(_ connection: PostgresConnection, key: PostgresBindings, logger: Logger) async {
        guard !connection.isClosed else { return }
        try? await connection.execute("SELECT pg_advisory_unlock(hashtext($1))", key, logger: logger)
    }
}
