import GRDB
import Sluice

extension SQLiteLoader: VersionHistory {
    /// Compares two versions from the table's history (`_sluice_history_<table>`); see ``SQLiteHistory``.
    public func diff(table: String, from: String, to: String, samples: Int) async throws -> VersionDiff {
        try await writingWithoutTransaction { db in
            try SQLiteDiff(db: db, table: table, fromID: from, toID: to, samples: max(0, samples)).run()
        }
    }

    /// Undoes the versions after `versionID` from the table's history, checks the checksum, and records a new version.
    public func rollback(table: String, to versionID: String) async throws -> LoadResult {
        let started = ContinuousClock.now
        let outcome = try await writingWithoutTransaction { db in
            try SQLiteRollback(db: db, table: table, goalID: versionID).run()
        }
        return LoadResult.completed(
            target: target,
            table: table,
            strategy: .replace,
            version: outcome.version,
            currentVersionID: outcome.currentVersionID,
            checksum: outcome.checksum,
            metrics: outcome.metrics,
            started: started,
            logger: logger
        )
    }

    /// Runs `body` with write access (it opens its own transaction), mapping database errors.
    func writingWithoutTransaction<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.writeWithoutTransaction(body)
        } catch {
            throw mapped(error)
        }
    }
}
