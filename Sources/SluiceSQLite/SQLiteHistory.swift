import GRDB
import Sluice

/// What makes loads into a SQLite table reversible: `_sluice_history_<table>`, the table's columns (all nullable)
/// plus the version that changed the row and how:
///
/// | `_sluice_op` | row stored | undone by |
/// |---|---|---|
/// | `i` inserted | the key (a keyless table: the whole row) | deleting it |
/// | `u` updated | the whole row before | writing it back |
/// | `d` deleted | the whole row before | inserting it |
/// | `r` emptied | nothing (a keyless `replace` removed every row first) | deleting every row |
///
/// Rows are written in the load's transaction under the version id the load will record (``versionID``, made first),
/// so history and versions never disagree. Only the newest ``keptVersions(_:table:)``
/// versions keep their history (setting `history.keep_versions`, default 10).
struct SQLiteHistory {
    typealias Op = HistoryOperation

    static let version = SQLiteSyntax.quote("_sluice_version")
    static let op = SQLiteSyntax.quote("_sluice_op")
    static let defaultKeptVersions = 10
    static let keptVersionsSetting = "history.keep_versions"
    /// The version metadata that says a version recorded its history.
    static let marker = "history"

    let db: Database
    let table: String
    let schema: Schema
    /// The version the rows recorded now belong to (made before the load writes, so no row is rewritten later).
    var versionID = UUIDv7.make()

    static func name(of table: String) -> String { "_sluice_history_" + table }
    var tableSQL: String { "main." + SQLiteSyntax.quote(Self.name(of: table)) }
    var dataSQL: String { "main." + SQLiteSyntax.quote(table) }
    var key: [String] { schema.keyColumns }

    /// Creates the history table, or adds the columns the table gained since.
    func prepare() throws {
        let name = Self.name(of: table)
        if try SQLiteCatalog.tableExists(db, name) {
            let existing = Set(try SQLiteCatalog.columnNames(db, of: name))
            for column in schema.columns where !existing.contains(column.name) {
                try db.execute(
                    sql: "ALTER TABLE \(tableSQL) ADD COLUMN \(SQLiteSyntax.quote(column.name)) "
                        + SQLiteSyntax.declaredType(column.type)
                )
            }
            return
        }
        let columns = schema.columns.map { "\(SQLiteSyntax.quote($0.name)) \(SQLiteSyntax.declaredType($0.type))" }
        try db.execute(
            sql: "CREATE TABLE \(tableSQL) (\(Self.version) TEXT NOT NULL, \(Self.op) TEXT NOT NULL, "
                + columns.joined(separator: ", ") + ")"
        )
        try db.execute(
            sql: "CREATE INDEX main.\(SQLiteSyntax.quote(name + "_version")) ON \(SQLiteSyntax.quote(name)) "
                + "(\(Self.version), \(Self.op))"
        )
    }

    /// Records `columns` of the rows `select` yields (`<expressions> FROM … WHERE …`) as `op`, pending.
    func record(_ op: Op, columns: [String], select: String) throws {
        let list = columns.isEmpty ? "" : ", " + SQLiteSyntax.list(columns)
        try db.execute(
            sql: "INSERT INTO \(tableSQL) (\(Self.version), \(Self.op)\(list)) SELECT \(tag(op))"
                + (columns.isEmpty ? "" : ", ") + select
        )
    }

    /// Records that a keyless `replace` emptied the table (its rows are recorded as deleted beside it).
    func recordEmptied() throws {
        try db.execute(sql: "INSERT INTO \(tableSQL) (\(Self.version), \(Self.op)) VALUES (\(tag(.emptied)))")
    }

    /// `'<version id>', '<op>'`: the first two values of a recorded row (the id is a UUID this process made).
    func tag(_ op: Op) -> String { "'\(versionID)', '\(op.rawValue)'" }

    /// Drops the history of versions beyond the kept ones (after the version was recorded).
    func prune() throws {
        try db.execute(
            sql: "DELETE FROM \(tableSQL) WHERE \(Self.version) NOT IN (SELECT \"id\" FROM \"_sluice_versions\" "
                + "WHERE \"table\" = ? ORDER BY \"id\" DESC LIMIT ?)",
            arguments: [table, try Self.keptVersions(db, table: table)]
        )
    }

    /// How many versions keep their history: the table's `history.keep_versions` setting, else 10.
    static func keptVersions(_ db: Database, table: String) throws -> Int {
        guard try SQLiteCatalog.tableExists(db, "_sluice_settings") else { return defaultKeptVersions }
        let text = try String.fetchOne(
            db,
            sql: "SELECT \"value\" FROM \"_sluice_settings\" WHERE \"table_name\" = ? AND \"name\" = ?",
            arguments: [table, keptVersionsSetting]
        )
        return text.flatMap { Int($0) }.map { max(1, $0) } ?? defaultKeptVersions
    }

    /// The versions that still have their history.
    func versionsWithHistory() throws -> Set<String> {
        guard try SQLiteCatalog.tableExists(db, Self.name(of: table)) else { return [] }
        return Set(try String.fetchAll(db, sql: "SELECT DISTINCT \(Self.version) FROM \(tableSQL)"))
    }
}
