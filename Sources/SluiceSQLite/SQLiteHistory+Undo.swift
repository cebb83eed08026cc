import GRDB
import Sluice

extension SQLiteHistory {
    /// Undoes `version`, which must be the table's state now (undo newer versions first): deletes what it inserted,
    /// writes back what it updated, re-inserts what it deleted.
    func undo(_ version: String) throws {
        let names = schema.columnNames
        let columns = SQLiteSyntax.list(names)
        let of = "\(Self.version) = ? AND \(Self.op) = ?"
        if try count(version, .emptied) > 0 {
            try db.execute(sql: "DELETE FROM \(dataSQL)")
        }
        if key.isEmpty {
            try deleteInsertedRows(version)
        } else {
            try db.execute(
                sql: "DELETE FROM \(dataSQL) WHERE (\(keyList)) IN (SELECT \(keyList) FROM \(tableSQL) "
                    + "WHERE \(of))",
                arguments: [version, Op.inserted.rawValue]
            )
            let values = names.filter { !key.contains($0) }
            if !values.isEmpty {
                let assignments = values.map { "\(SQLiteSyntax.quote($0)) = h.\(SQLiteSyntax.quote($0))" }
                try db.execute(
                    sql: "UPDATE \(dataSQL) AS t SET \(assignments.joined(separator: ", ")) FROM \(tableSQL) AS h "
                        + "WHERE h.\(Self.version) = ? AND h.\(Self.op) = ? AND \(SQLiteSyntax.equal(key, "t", "h"))",
                    arguments: [version, Op.updated.rawValue]
                )
            }
        }
        try db.execute(
            sql: "INSERT INTO \(dataSQL) (\(columns)) SELECT \(columns) FROM \(tableSQL) WHERE \(of)",
            arguments: [version, Op.deleted.rawValue]
        )
    }

    /// A keyless table: deletes one row equal to each row the version inserted.
    private func deleteInsertedRows(_ version: String) throws {
        let names = schema.columnNames
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT \(SQLiteSyntax.list(names)) FROM \(tableSQL) WHERE \(Self.version) = ? AND \(Self.op) = ?",
            arguments: [version, Op.inserted.rawValue]
        )
        let equal = names.map { "\(SQLiteSyntax.quote($0)) IS ?" }.joined(separator: " AND ")
        let statement = try db.makeStatement(
            sql: "DELETE FROM \(dataSQL) WHERE rowid = (SELECT rowid FROM \(dataSQL) WHERE \(equal) LIMIT 1)"
        )
        for row in rows {
            try statement.execute(arguments: StatementArguments(names.indices.map { row[$0] as DatabaseValue }))
        }
    }

    private func count(_ version: String, _ op: Op) throws -> Int {
        try Int.fetchOne(
            db,
            sql: "SELECT count(*) FROM \(tableSQL) WHERE \(Self.version) = ? AND \(Self.op) = ?",
            arguments: [version, op.rawValue]
        ) ?? 0
    }

    private var keyList: String { SQLiteSyntax.list(key) }
}
