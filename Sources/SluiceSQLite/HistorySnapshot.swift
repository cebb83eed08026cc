import GRDB
import Sluice

/// The rows of a table that a run of versions touched, copied aside (a temporary table) before they are undone:
/// what a rollback compares with afterwards to record its own change, and what a diff compares between two
/// versions. Keyed tables copy only the touched keys' rows; keyless tables copy every row.
struct HistorySnapshot {
    static let touched = "temp." + SQLiteSyntax.quote("_sluice_touched")

    let history: SQLiteHistory
    /// The temporary table holding the copy.
    let name: String

    var db: Database { history.db }
    var schema: Schema { history.schema }

    /// Remembers which keys `versions` touched (keyed tables), for the snapshots that follow.
    static func collectTouchedKeys(_ history: SQLiteHistory, versions: [DataVersion]) throws {
        guard !history.key.isEmpty else { return }
        try history.db.execute(sql: "DROP TABLE IF EXISTS \(touched)")
        try history.db.execute(
            sql: "CREATE TEMP TABLE \(SQLiteSyntax.quote("_sluice_touched")) AS SELECT DISTINCT "
                + "\(SQLiteSyntax.list(history.key)) FROM \(history.tableSQL) WHERE \(SQLiteHistory.version) IN "
                + "(\(SQLiteSyntax.placeholders(versions.count))) AND \(SQLiteHistory.op) <> 'r'",
            arguments: StatementArguments(versions.map(\.id))
        )
    }

    /// Copies the touched rows of the table as it is now into `temp.<name>`.
    init(_ history: SQLiteHistory, name: String) throws {
        self.history = history
        self.name = "temp." + SQLiteSyntax.quote(name)
        let columns = SQLiteSyntax.list(history.schema.columnNames, prefix: "t")
        let touchedOnly =
            history.key.isEmpty
            ? ""
            : " WHERE (\(SQLiteSyntax.list(history.key, prefix: "t"))) IN (SELECT * FROM \(Self.touched))"
        try history.db.execute(sql: "DROP TABLE IF EXISTS \(self.name)")
        try history.db.execute(
            sql: "CREATE TEMP TABLE \(SQLiteSyntax.quote(name)) AS SELECT \(columns) FROM \(history.dataSQL) AS t"
                + touchedOnly
        )
    }

    func drop() throws {
        try db.execute(sql: "DROP TABLE IF EXISTS \(name)")
    }

    static func dropTouched(_ db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS \(touched)")
    }

    /// `FROM … WHERE …` over this snapshot as `a`: its rows whose key `other` lacks.
    func rows(notIn other: HistorySnapshot) -> String {
        "FROM \(name) AS a WHERE NOT EXISTS (SELECT 1 FROM \(other.name) AS b WHERE "
            + "\(SQLiteSyntax.equal(history.key, "a", "b")))"
    }

    /// `FROM … JOIN … WHERE …` over this snapshot as `a` and `other` as `b`: the keys both have, with different values.
    func rows(changedIn other: HistorySnapshot) -> String {
        let values = schema.columnNames.filter { !history.key.contains($0) }.map(SQLiteSyntax.quote)
        let same = values.isEmpty ? "1" : values.map { "a.\($0) IS b.\($0)" }.joined(separator: " AND ")
        return "FROM \(name) AS a JOIN \(other.name) AS b ON \(SQLiteSyntax.equal(history.key, "a", "b")) "
            + "WHERE NOT (\(same))"
    }
}

extension SQLiteHistory {
    /// Records, pending, how the table changed since `before` was taken: rows gone as deleted, rows changed as
    /// updated (both with the values before), touched keys that appeared as inserted. A keyless table records that
    /// it was emptied and every earlier row as deleted. Returns the counts.
    func recordChange(since before: HistorySnapshot) throws -> (inserted: Int, updated: Int, deleted: Int) {
        let names = schema.columnNames
        if key.isEmpty {
            try recordEmptied()
            try record(.deleted, columns: names, select: "\(SQLiteSyntax.list(names)) FROM \(before.name)")
            let deleted = db.changesCount
            let now = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(dataSQL)") ?? 0
            return (now, 0, deleted)
        }
        let after = try HistorySnapshot(self, name: "_sluice_after")
        defer { try? after.drop() }
        let beforeColumns = SQLiteSyntax.list(names, prefix: "a")
        try record(.deleted, columns: names, select: "\(beforeColumns) \(before.rows(notIn: after))")
        let deleted = db.changesCount
        try record(.updated, columns: names, select: "\(beforeColumns) \(before.rows(changedIn: after))")
        let updated = db.changesCount
        try record(
            .inserted,
            columns: key,
            select: "\(SQLiteSyntax.list(key, prefix: "a")) \(after.rows(notIn: before))"
        )
        return (db.changesCount, updated, deleted)
    }
}
