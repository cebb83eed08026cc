import PostgresNIO
import Sluice

extension PostgresHistory {
    /// Undoes `version`, which must be the table's state now (undo newer versions first): deletes what it inserted,
    /// writes back what it updated, re-inserts what it deleted.
    func undo(_ version: String) async throws {
        let names = schema.columnNames
        let columns = PostgresSyntax.list(names)
        let of = "\(Self.version) = $1 AND \(Self.op) = $2"
        if try await connection.boolean(
            "SELECT EXISTS (SELECT 1 FROM \(tableSQL) WHERE \(of))",
            .texts(version, Op.emptied.rawValue),
            logger: logger
        ) {
            try await connection.execute("DELETE FROM \(dataSQL)", logger: logger)
        }
        if key.isEmpty {
            try await deleteInsertedRows(version)
        } else {
            let keys = PostgresSyntax.list(key)
            try await connection.execute(
                "DELETE FROM \(dataSQL) WHERE (\(keys)) IN (SELECT \(keys) FROM \(tableSQL) WHERE \(of))",
                .texts(version, Op.inserted.rawValue),
                logger: logger
            )
            let values = names.filter { !key.contains($0) }
            if !values.isEmpty {
                let assignments = values.map { "\(PostgresSyntax.quote($0)) = h.\(PostgresSyntax.quote($0))" }
                try await connection.execute(
                    "UPDATE \(dataSQL) AS t SET \(assignments.joined(separator: ", ")) FROM \(tableSQL) AS h "
                        + "WHERE h.\(Self.version) = $1 AND h.\(Self.op) = $2 AND "
                        + PostgresSyntax.equal(key, "t", "h"),
                    .texts(version, Op.updated.rawValue),
                    logger: logger
                )
            }
        }
        try await connection.execute(
            "INSERT INTO \(dataSQL) (\(columns)) SELECT \(columns) FROM \(tableSQL) WHERE \(of)",
            .texts(version, Op.deleted.rawValue),
            logger: logger
        )
    }

    /// A keyless table: deletes, for each row the version inserted, one equal row (as many as it inserted).
    private func deleteInsertedRows(_ version: String) async throws {
        let names = schema.columnNames
        let partition = schema.columns.map { PostgresSyntax.comparable($0, prefix: "t") }.joined(separator: ", ")
        let grouped = schema.columns.map { PostgresSyntax.comparable($0, prefix: "h") }
        let groupedList = zip(grouped, names).map { "\($0) AS \(PostgresSyntax.quote($1))" }.joined(separator: ", ")
        try await connection.execute(
            """
            DELETE FROM \(dataSQL) WHERE ctid IN (SELECT x.ctid FROM (SELECT t.ctid, \(PostgresSyntax.list(names,
                prefix: "t")), row_number() OVER (PARTITION BY \(partition)) AS n FROM \(dataSQL) AS t) AS x
            JOIN (SELECT \(groupedList), count(*) AS c FROM \(tableSQL) AS h WHERE h.\(Self.version) = $1
                AND h.\(Self.op) = $2 GROUP BY \(grouped.joined(separator: ", "))) AS y
            ON \(same(names, "x", "y")) AND x.n <= y.c)
            """,
            .texts(version, Op.inserted.rawValue),
            logger: logger
        )
    }
}
