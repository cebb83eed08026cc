import Logging
import PostgresNIO
import Sluice

/// Rolls a PostgreSQL table back to an earlier version in one transaction, holding the table's load lock: undoes
/// every later version from its history, newest first, checks the table's checksum is the earlier version's, and
/// records a new version (`replace`, metadata `rollback.to`) with its own history.
struct PostgresRollback {
    let connection: PostgresConnection
    let table: String
    let goalID: String
    let logger: Logger

    func run() async throws -> WriteOutcome {
        try await PostgresHistoryTransaction(connection: connection, table: table, logger: logger).run { reach in
            let outcome = try await body(reach)
            return (outcome, commit: outcome.version != nil)
        }
    }

    private func body(_ reach: PostgresHistoryReach) async throws -> WriteOutcome {
        let goal = try reach.version(goalID)
        let latest = reach.versions[reach.versions.count - 1]
        guard goal.id != latest.id else {
            return WriteOutcome(
                metrics: LoadingMetrics(),
                version: nil,
                checksum: ContentChecksum(hex: latest.checksum) ?? .zero,
                currentVersionID: latest.id
            )
        }
        let later = try reach.versions(after: goal)
        let history = reach.history
        try await PostgresHistorySnapshot.collectTouchedKeys(history, versions: later)
        let before = try await PostgresHistorySnapshot(history, name: "_sluice_before")
        for version in later { try await history.undo(version.id) }
        let scan = try await PostgresRowReader.tableChecksum(
            connection,
            table: table,
            schema: history.schema,
            logger: logger
        )
        guard scan.checksum.hex == goal.checksum, scan.rowCount == goal.recordCount else {
            throw SluiceError(
                .targetFailure,
                "table '\(table)': undoing the versions after \(goal.id) gives \(scan.rowCount) rows with checksum "
                    + "\(scan.checksum.hex), not version \(goal.id)'s \(goal.recordCount) rows with checksum "
                    + "\(goal.checksum); nothing was changed"
            )
        }
        let counts = try await history.recordChange(since: before)
        let version = DataVersion(
            rollingBack: table,
            to: goal,
            after: latest,
            schema: history.schema,
            checksum: scan.checksum,
            rowCount: scan.rowCount,
            changes: counts,
            metadata: [PostgresHistory.marker: "recorded"],
            id: history.versionID
        )
        try await PostgresCatalog.insert(connection, version: version, logger: logger)
        try await history.prune()
        return WriteOutcome(
            metrics: version.metrics,
            version: version,
            checksum: scan.checksum,
            currentVersionID: version.id
        )
    }
}

/// `BEGIN`, the table's load lock, the versions and history read, `body`, then `COMMIT` or `ROLLBACK`.
struct PostgresHistoryTransaction {
    let connection: PostgresConnection
    let table: String
    let logger: Logger

    func run<T>(_ body: (PostgresHistoryReach) async throws -> (T, commit: Bool)) async throws -> T {
        try await connection.execute("BEGIN", logger: logger)
        do {
            try await connection.lockForTransaction(PostgresLockKey.table(table), logger: logger)
            let reach = try await PostgresHistoryReach(connection: connection, table: table, logger: logger)
            let (result, commit) = try await body(reach)
            try await connection.execute(commit ? "COMMIT" : "ROLLBACK", logger: logger)
            return result
        } catch {
            if !connection.isClosed { try? await connection.execute("ROLLBACK", logger: logger) }
            throw error
        }
    }
}

/// A table's versions, how far back its history reaches, and its history table.
struct PostgresHistoryReach {
    let reach: VersionReach
    let history: PostgresHistory
    private let withHistory: Set<String>

    init(connection: PostgresConnection, table: String, logger: Logger) async throws {
        let exists = try await PostgresCatalog.exists(connection, "_sluice_versions", logger: logger)
        reach = try VersionReach(
            table: table,
            versions: exists ? try await PostgresCatalog.versions(connection, of: table, logger: logger) : [],
            schema: try await PostgresCatalog.schema(connection, of: table, logger: logger)
        )
        history = PostgresHistory(connection: connection, table: table, schema: reach.schema, logger: logger)
        try await history.adoptServerTruncatedTable()
        withHistory = try await history.versionsWithHistory()
    }

    var versions: [DataVersion] { reach.versions }

    func version(_ id: String) throws -> DataVersion { try reach.version(id) }

    /// The versions after `version`, newest first, each with its history (see ``VersionReach``).
    func versions(after version: DataVersion) throws -> [DataVersion] {
        try reach.versions(after: version, withHistory: withHistory)
    }
}
