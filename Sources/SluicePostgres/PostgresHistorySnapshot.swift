import PostgresNIO
import Sluice

/// The rows of a PostgreSQL table that a run of versions touched, copied into a temporary table (dropped at commit)
/// before they are undone; see SQLite's `HistorySnapshot`, which this mirrors.
struct PostgresHistorySnapshot {
    static let touched = PostgresSyntax.quote("_sluice_touched")

    let history: PostgresHistory
    /// The temporary table holding the copy.
    let name: String

    var schema: Schema { history.schema }

    /// Remembers which keys `versions` touched (keyed tables), for the snapshots that follow.
    static func collectTouchedKeys(_ history: PostgresHistory, versions: [DataVersion]) async throws {
        guard !history.key.isEmpty else { return }
        var binds = PostgresBindings()
        binds.append(versions.map(\.id))
        try await history.connection.execute("DROP TABLE IF EXISTS pg_temp.\(touched)", logger: history.logger)
        try await history.connection.execute(
            "CREATE TEMP TABLE \(touched) ON COMMIT DROP AS SELECT DISTINCT \(PostgresSyntax.list(history.key)) "
                + "FROM \(history.tableSQL) WHERE \(PostgresHistory.version) = ANY($1::text[]) "
                + "AND \(PostgresHistory.op) <> 'r'",
            binds,
            logger: history.logger
        )
    }

    /// Copies the touched rows of the table as it is now into the temporary table `name`.
    init(_ history: PostgresHistory, name: String) async throws {
        self.history = history
        self.name = PostgresSyntax.quote(name)
        let touchedOnly =
            history.key.isEmpty
            ? ""
            : " WHERE (\(PostgresSyntax.list(history.key, prefix: "t"))) IN (SELECT * FROM \(Self.touched))"
        try await history.connection.execute("DROP TABLE IF EXISTS pg_temp.\(self.name)", logger: history.logger)
        try await history.connection.execute(
            "CREATE TEMP TABLE \(self.name) ON COMMIT DROP AS SELECT "
                + "\(PostgresSyntax.list(history.schema.columnNames, prefix: "t")) FROM \(history.dataSQL) AS t"
                + touchedOnly,
            logger: history.logger
        )
    }

    func drop() async throws {
        try await history.connection.execute("DROP TABLE IF EXISTS pg_temp.\(name)", logger: history.logger)
    }

    /// `FROM … WHERE …` over this snapshot as `a`: its rows whose key `other` lacks.
    func rows(notIn other: PostgresHistorySnapshot) -> String {
        "FROM \(name) AS a WHERE NOT EXISTS (SELECT 1 FROM \(other.name) AS b WHERE "
            + "\(PostgresSyntax.equal(history.key, "a", "b")))"
    }

    /// `FROM … JOIN … WHERE …` over this snapshot as `a` and `other` as `b`: the keys both have, with different values.
    func rows(changedIn other: PostgresHistorySnapshot) -> String {
        let values = schema.columnNames.filter { !history.key.contains($0) }
        return "FROM \(name) AS a JOIN \(other.name) AS b ON \(PostgresSyntax.equal(history.key, "a", "b")) "
            + "WHERE NOT (\(history.same(values, "a", "b")))"
    }
}

extension PostgresHistory {
    /// Records, pending, how the table changed since `before` was taken (see SQLite's `recordChange(since:)`).
    func recordChange(since before: PostgresHistorySnapshot) async throws -> (inserted: Int, updated: Int, deleted: Int)
    {
        let names = schema.columnNames
        if key.isEmpty {
            try await recordEmptied()
            let deleted = try await record(
                .deleted,
                columns: names,
                select: "\(PostgresSyntax.list(names)) FROM \(before.name)"
            )
            let now = try await connection.integer("SELECT count(*) FROM \(dataSQL)", logger: logger)
            return (now, 0, deleted)
        }
        let after = try await PostgresHistorySnapshot(self, name: "_sluice_after")
        let beforeColumns = PostgresSyntax.list(names, prefix: "a")
        let deleted = try await record(
            .deleted,
            columns: names,
            select: "\(beforeColumns) \(before.rows(notIn: after))"
        )
        let updated = try await record(
            .updated,
            columns: names,
            select: "\(beforeColumns) \(before.rows(changedIn: after))"
        )
        let inserted = try await record(
            .inserted,
            columns: key,
            select: "\(PostgresSyntax.list(key, prefix: "a")) \(after.rows(notIn: before))"
        )
        try await after.drop()
        return (inserted, updated, deleted)
    }
}
