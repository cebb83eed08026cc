import Sluice

extension PostgresLoader: VersionHistory {
    /// Compares two versions from the table's history (``PostgresIdentifier/history(of:)``); see ``PostgresHistory``.
    public func diff(table: String, from: String, to: String, samples: Int) async throws -> VersionDiff {
        try PostgresIdentifier.check(table: table)
        let logger = self.logger
        return try await withConnection { connection in
            try await PostgresDiff(
                connection: connection,
                table: table,
                fromID: from,
                toID: to,
                samples: max(0, samples),
                logger: logger
            ).run()
        }
    }

    /// Undoes the versions after `versionID` from the table's history, checks the checksum, and records a new version.
    public func rollback(table: String, to versionID: String) async throws -> LoadResult {
        try PostgresIdentifier.check(table: table)
        let started = ContinuousClock.now
        let logger = self.logger
        let outcome = try await withConnection { connection in
            try await PostgresRollback(connection: connection, table: table, goalID: versionID, logger: logger).run()
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
}
