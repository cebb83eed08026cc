import Logging
import PostgresNIO
import Sluice

/// Table settings in `_sluice_settings` (`table_name`, `name`, `value`; primary key `table_name, name`), beside the
/// other catalog tables in the first schema of the search path, created with the first setting. Each change is one
/// transaction; names and values are always bound, never spliced into the SQL.
extension PostgresLoader: TableSettings {
    public func settings(table: String) async throws -> [String: String] {
        try TableSettingName.validate(table: table)
        try PostgresIdentifier.check(table: table)
        let logger = self.logger
        return try await withConnection { connection in
            guard try await PostgresCatalog.exists(connection, PostgresCatalog.settingsTable, logger: logger) else {
                return [:]
            }
            let rows = try await connection.rows(
                #"SELECT "name", "value" FROM "_sluice_settings" WHERE "table_name" = \#(table)"#,
                logger: logger
            )
            var settings: [String: String] = [:]
            for row in rows {
                let (name, value) = try row.decode((String, String).self)
                settings[name] = value
            }
            return settings
        }
    }

    public func setSetting(table: String, name: String, value: String?) async throws {
        try TableSettingName.validate(table: table, name: name, value: value)
        try PostgresIdentifier.check(table: table)
        let logger = self.logger
        try await withConnection { connection in
            try await connection.execute("BEGIN", logger: logger)
            do {
                try await PostgresCatalog.createSettings(connection, logger: logger)
                try await PostgresCatalog.setSetting(connection, table: table, name: name, value: value, logger: logger)
                try await connection.execute("COMMIT", logger: logger)
            } catch {
                if !connection.isClosed { try? await connection.execute("ROLLBACK", logger: logger) }
                throw error
            }
        }
    }

    public func tablesWithSettings() async throws -> [String] {
        let logger = self.logger
        return try await withConnection { connection in
            guard try await PostgresCatalog.exists(connection, PostgresCatalog.settingsTable, logger: logger) else {
                return []
            }
            let rows = try await connection.rows(
                #"SELECT DISTINCT "table_name" FROM "_sluice_settings""#,
                logger: logger
            )
            let names = try rows.map { try $0.decode(String.self) }
            // Sorted as Swift sorts strings, not by the database's collation: the same order on every target.
            return names.sorted()
        }
    }
}

extension PostgresCatalog {
    static let settingsTable = "_sluice_settings"

    /// Creates `_sluice_settings` when missing, under the catalog's advisory lock (so that two first settings do not
    /// race to create it). Runs inside the caller's transaction.
    static func createSettings(_ connection: PostgresConnection, logger: Logger) async throws {
        guard try await !exists(connection, settingsTable, logger: logger) else { return }
        try await connection.lockForTransaction(PostgresLockKey.catalog, logger: logger)
        try await connection.execute(
            """
            CREATE TABLE IF NOT EXISTS "_sluice_settings" ("table_name" text NOT NULL, "name" text NOT NULL,
            "value" text NOT NULL, PRIMARY KEY ("table_name", "name"))
            """,
            logger: logger
        )
    }

    /// Sets `name` of `table` to `value` (`INSERT … ON CONFLICT DO UPDATE`), or removes it when `value` is `nil`.
    static func setSetting(
        _ connection: PostgresConnection,
        table: String,
        name: String,
        value: String?,
        logger: Logger
    ) async throws {
        guard let value else {
            try await connection.execute(
                #"DELETE FROM "_sluice_settings" WHERE "table_name" = $1 AND "name" = $2"#,
                .texts(table, name),
                logger: logger
            )
            return
        }
        try await connection.execute(
            """
            INSERT INTO "_sluice_settings" ("table_name", "name", "value") VALUES ($1, $2, $3)
            ON CONFLICT ("table_name", "name") DO UPDATE SET "value" = excluded."value"
            """,
            .texts(table, name, value),
            logger: logger
        )
    }
}
