import GRDB
import Sluice

/// Table settings in `_sluice_settings` (`table_name`, `name`, `value`; primary key `table_name, name`), created
/// with the first setting. Each change is one `BEGIN IMMEDIATE` transaction, like a load.
extension SQLiteLoader: TableSettings {
    public func settings(table: String) async throws -> [String: String] {
        try TableSettingName.validate(table: table)
        return try await reading { db in try SQLiteCatalog.settings(db, of: table) }
    }

    public func setSetting(table: String, name: String, value: String?) async throws {
        try TableSettingName.validate(table: table, name: name, value: value)
        do {
            try await database.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    try SQLiteCatalog.createSettings(db)
                    try SQLiteCatalog.setSetting(db, table: table, name: name, value: value)
                    return .commit
                }
            }
        } catch {
            throw mapped(error)
        }
    }

    public func tablesWithSettings() async throws -> [String] {
        try await reading { db in try SQLiteCatalog.tablesWithSettings(db) }
    }
}

extension SQLiteCatalog {
    static let settingsTable = "_sluice_settings"

    /// Creates `_sluice_settings` when missing.
    static func createSettings(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS "_sluice_settings" (
                    "table_name" TEXT NOT NULL,
                    "name" TEXT NOT NULL,
                    "value" TEXT NOT NULL,
                    PRIMARY KEY ("table_name", "name")
                )
                """
        )
    }

    /// Every setting of `table`.
    static func settings(_ db: Database, of table: String) throws -> [String: String] {
        guard try tableExists(db, settingsTable) else { return [:] }
        let rows = try Row.fetchAll(
            db,
            sql: #"SELECT "name", "value" FROM "_sluice_settings" WHERE "table_name" = ?"#,
            arguments: [table]
        )
        var settings: [String: String] = [:]
        for row in rows { settings[row["name"]] = row["value"] as String }
        return settings
    }

    /// Sets `name` of `table` to `value`, or removes it when `value` is `nil`.
    static func setSetting(_ db: Database, table: String, name: String, value: String?) throws {
        guard let value else {
            try db.execute(
                sql: #"DELETE FROM "_sluice_settings" WHERE "table_name" = ? AND "name" = ?"#,
                arguments: [table, name]
            )
            return
        }
        try db.execute(
            sql: """
                INSERT INTO "_sluice_settings" ("table_name", "name", "value") VALUES (?, ?, ?)
                ON CONFLICT ("table_name", "name") DO UPDATE SET "value" = excluded."value"
                """,
            arguments: [table, name, value]
        )
    }

    /// The tables with at least one setting, sorted as Swift sorts strings (the same on every target).
    static func tablesWithSettings(_ db: Database) throws -> [String] {
        guard try tableExists(db, settingsTable) else { return [] }
        let names = try String.fetchAll(db, sql: #"SELECT DISTINCT "table_name" FROM "_sluice_settings""#)
        return names.sorted()
    }
}
