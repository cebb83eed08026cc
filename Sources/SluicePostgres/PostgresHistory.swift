import Logging
import PostgresNIO
import Sluice

/// What makes loads into a PostgreSQL table reversible: `_sluice_history_<table>`, the table's columns (all
/// nullable) plus the version that changed the row and how — the same layout and meaning as SQLite's (`i` inserted
/// key, or whole row for a keyless table; `u` and `d` the whole row before; `r` a keyless `replace` emptied the
/// table). Rows are written in the load's transaction under the version id the load will record (``versionID``).
/// Only the newest `history.keep_versions` versions (default 10) keep their history.
///
/// The name is ``PostgresIdentifier/history(of:)``: shortened with a hash when the table's name is over 47 bytes,
/// so the server never cuts it; ``adoptServerTruncatedTable()`` picks up a history table named before that.
struct PostgresHistory {
    typealias Op = HistoryOperation

    static let version = PostgresSyntax.quote("_sluice_version")
    static let op = PostgresSyntax.quote("_sluice_op")
    static let defaultKeptVersions = 10
    static let keptVersionsSetting = "history.keep_versions"
    static let marker = "history"

    let connection: PostgresConnection
    let table: String
    let schema: Schema
    let logger: Logger
    /// The version the rows recorded now belong to (made before the load writes, so no row is rewritten later).
    var versionID = UUIDv7.make()
    /// Whether the table can return `xmax` from an `INSERT … ON CONFLICT` (a partitioned table cannot), which tells
    /// inserted rows from updated ones without a join.
    var returnsXmax = true

    static func name(of table: String) -> String { PostgresIdentifier.history(of: table) }
    var tableSQL: String { PostgresSyntax.quote(Self.name(of: table)) }
    var dataSQL: String { PostgresSyntax.quote(table) }
    var key: [String] { schema.keyColumns }

    /// Creates the history table, or adds the columns the table gained since.
    func prepare() async throws {
        let nullable = schema.columns.map { column in
            var column = column
            column.isNullable = true
            return column
        }
        try await adoptServerTruncatedTable()
        if try await PostgresCatalog.exists(connection, Self.name(of: table), logger: logger) {
            for column in nullable {
                try await connection.execute(
                    "ALTER TABLE \(tableSQL) ADD COLUMN IF NOT EXISTS \(PostgresSyntax.columnDefinition(column))",
                    logger: logger
                )
            }
            return
        }
        try await connection.execute(
            "CREATE TABLE \(tableSQL) (\(Self.version) text NOT NULL, \(Self.op) text NOT NULL, "
                + nullable.map(PostgresSyntax.columnDefinition).joined(separator: ", ") + ")",
            logger: logger
        )
        let index = PostgresIdentifier.historyIndex(of: Self.name(of: table)).map(PostgresSyntax.quote) ?? ""
        try await connection.execute(
            "CREATE INDEX \(index) ON \(tableSQL) (\(Self.version), \(Self.op))",
            logger: logger
        )
    }

    /// `INSERT INTO history (version, op, columns) ` with `op`, ready for a `SELECT <tag>, …` to follow.
    func insertPrefix(_ columns: [String]) -> String {
        "INSERT INTO \(tableSQL) (\(Self.version), \(Self.op)\(columns.isEmpty ? "" : ", ")"
            + "\(PostgresSyntax.list(columns)))"
    }

    /// Records `columns` of the rows `select` yields (`<expressions> FROM … WHERE …`) as `op`, pending.
    @discardableResult
    func record(
        _ op: Op,
        columns: [String],
        select: String,
        _ binds: PostgresBindings = PostgresBindings()
    )
        async throws -> Int
    {
        try await connection.integer(
            "WITH recorded AS (\(insertPrefix(columns)) SELECT \(tag(op)), \(select) RETURNING 1) "
                + "SELECT count(*) FROM recorded",
            binds,
            logger: logger
        )
    }

    /// Records that a keyless `replace` emptied the table.
    func recordEmptied() async throws {
        try await connection.execute("\(insertPrefix([])) VALUES (\(tag(.emptied)))", logger: logger)
    }

    /// `'<version id>', '<op>'`: the first two values of a recorded row (the id is a UUID this process made).
    func tag(_ op: Op) -> String { "'\(versionID)', '\(op.rawValue)'" }

    /// Drops the history of versions beyond the kept ones (after the version was recorded).
    func prune() async throws {
        var binds = PostgresBindings()
        binds.append(table)
        binds.append(try await keptVersions())
        try await connection.execute(
            "DELETE FROM \(tableSQL) WHERE \(Self.version) NOT IN (SELECT \"id\" FROM \"_sluice_versions\" "
                + "WHERE \"table\" = $1 ORDER BY \"id\" DESC LIMIT $2)",
            binds,
            logger: logger
        )
    }

    /// How many versions keep their history: the table's `history.keep_versions` setting, else 10.
    func keptVersions() async throws -> Int {
        guard try await PostgresCatalog.exists(connection, "_sluice_settings", logger: logger) else {
            return Self.defaultKeptVersions
        }
        let query = PostgresQuery(
            unsafeSQL: "SELECT \"value\" FROM \"_sluice_settings\" WHERE \"table_name\" = $1 AND \"name\" = $2",
            binds: .texts(table, Self.keptVersionsSetting)
        )
        for row in try await connection.rows(query, logger: logger) {
            if let text = try row.decode(String?.self), let count = Int(text) { return max(1, count) }
        }
        return Self.defaultKeptVersions
    }

    /// The versions that still have their history.
    func versionsWithHistory() async throws -> Set<String> {
        guard try await PostgresCatalog.exists(connection, Self.name(of: table), logger: logger) else { return [] }
        let query = PostgresQuery(unsafeSQL: "SELECT DISTINCT \(Self.version) FROM \(tableSQL)")
        return Set(try await connection.rows(query, logger: logger).map { try $0.decode(String.self) })
    }

    /// `a."c" IS NOT DISTINCT FROM b."c" AND …` over `columns` (JSON compared as text).
    func same(_ columns: [String], _ left: String, _ right: String) -> String {
        let compared = schema.columns.filter { columns.contains($0.name) }
        guard !compared.isEmpty else { return "TRUE" }
        return compared.map { column in
            "\(PostgresSyntax.comparable(column, prefix: left)) IS NOT DISTINCT FROM "
                + PostgresSyntax.comparable(column, prefix: right)
        }.joined(separator: " AND ")
    }
}
