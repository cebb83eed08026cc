import Logging
import PostgresNIO

extension PostgresConnection {
    /// Runs one statement, discarding any rows.
    func execute(_ sql: String, _ binds: PostgresBindings = PostgresBindings(), logger: Logger) async throws {
        _ = try await query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).collect()
    }

    /// Runs a query whose first row's first column is an integer (`count(*)`, `EXISTS`, …).
    func integer(_ sql: String, _ binds: PostgresBindings = PostgresBindings(), logger: Logger) async throws -> Int {
        for try await row in try await query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger) {
            return try row.decode(Int?.self) ?? 0
        }
        return 0
    }

    /// Runs a query whose first row's first column is a boolean.
    func boolean(_ sql: String, _ binds: PostgresBindings = PostgresBindings(), logger: Logger) async throws -> Bool {
        for try await row in try await query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger) {
            return try row.decode(Bool?.self) ?? false
        }
        return false
    }

    /// Runs a data-changing statement and returns how many rows it changed:
    /// `WITH changed AS (<statement> RETURNING 1) SELECT count(*) FROM changed`.
    func changedRows(_ statement: String, logger: Logger) async throws -> Int {
        try await integer("WITH changed AS (\(statement) RETURNING 1) SELECT count(*) FROM changed", logger: logger)
    }
}

extension PostgresBindings {
    /// Bindings holding `values` as text parameters, in order.
    static func texts(_ values: String...) -> PostgresBindings {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values { bindings.append(value) }
        return bindings
    }
}
