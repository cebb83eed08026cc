import GRDB
import Sluice

/// Rolls a SQLite table back to an earlier version in one transaction: undoes every later version from its history,
/// newest first, checks that the table's checksum is the earlier version's, and records the result as a new version
/// (`replace`, metadata `rollback.to`) with its own history, so that a rollback can be rolled back too.
struct SQLiteRollback {
    let db: Database
    let table: String
    let goalID: String

    func run() throws -> WriteOutcome {
        var outcome: WriteOutcome?
        try db.inTransaction(.immediate) {
            outcome = try body()
            return outcome?.version == nil ? .rollback : .commit
        }
        guard let outcome else { throw SluiceError(.targetFailure, "table '\(table)': the rollback did not run") }
        return outcome
    }

    private func body() throws -> WriteOutcome {
        let reach = try HistoryReach(db: db, table: table)
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
        try HistorySnapshot.collectTouchedKeys(history, versions: later)
        let before = try HistorySnapshot(history, name: "_sluice_before")
        for version in later { try history.undo(version.id) }
        let scan = try TableScan.checksum(db, table: table, schema: history.schema)
        guard scan.checksum.hex == goal.checksum, scan.rowCount == goal.recordCount else {
            throw SluiceError(
                .targetFailure,
                "table '\(table)': undoing the versions after \(goal.id) gives \(scan.rowCount) rows with checksum "
                    + "\(scan.checksum.hex), not version \(goal.id)'s \(goal.recordCount) rows with checksum "
                    + "\(goal.checksum); nothing was changed"
            )
        }
        let counts = try history.recordChange(since: before)
        try before.drop()
        try HistorySnapshot.dropTouched(db)
        let version = DataVersion(
            rollingBack: table,
            to: goal,
            after: latest,
            schema: history.schema,
            checksum: scan.checksum,
            rowCount: scan.rowCount,
            changes: counts,
            metadata: [SQLiteHistory.marker: "recorded"],
            id: history.versionID
        )
        try SQLiteCatalog.insert(db, version: version)
        try history.prune()
        return WriteOutcome(
            metrics: version.metrics,
            version: version,
            checksum: scan.checksum,
            currentVersionID: version.id
        )
    }
}

/// A table's versions, how far back its history reaches, and its history table.
struct HistoryReach {
    let reach: VersionReach
    let history: SQLiteHistory

    init(db: Database, table: String) throws {
        reach = try VersionReach(
            table: table,
            versions: try SQLiteCatalog.versions(db, of: table),
            schema: try SQLiteCatalog.schema(db, of: table)
        )
        history = SQLiteHistory(db: db, table: table, schema: reach.schema)
    }

    var versions: [DataVersion] { reach.versions }

    func version(_ id: String) throws -> DataVersion { try reach.version(id) }

    /// The versions after `version`, newest first, each with its history (see ``VersionReach``).
    func versions(after version: DataVersion) throws -> [DataVersion] {
        try reach.versions(after: version, withHistory: try history.versionsWithHistory())
    }
}
