import Foundation
import GRDB
import Sluice

/// Sluice's own tables in the database: `_sluice_tables` (table → schema JSON, the source of truth for types)
/// and `_sluice_versions` (one row per ``Sluice/DataVersion``).
enum SQLiteCatalog {
    static let tablesTable = "_sluice_tables"
    static let versionsTable = "_sluice_versions"

    /// Creates the catalog tables when missing.
    static func create(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS "_sluice_tables" (
                    "name" TEXT PRIMARY KEY NOT NULL,
                    "schema" TEXT NOT NULL,
                    "updated_at" TEXT NOT NULL
                );
                CREATE TABLE IF NOT EXISTS "_sluice_versions" (
                    "id" TEXT PRIMARY KEY NOT NULL,
                    "table" TEXT NOT NULL,
                    "created_at" TEXT NOT NULL,
                    "strategy" TEXT NOT NULL,
                    "source" TEXT NOT NULL,
                    "record_count" INTEGER NOT NULL,
                    "schema_version" TEXT NOT NULL,
                    "checksum" TEXT NOT NULL,
                    "input_checksum" TEXT NOT NULL,
                    "parent_id" TEXT,
                    "metrics" TEXT NOT NULL,
                    "metadata" TEXT NOT NULL,
                    "schema" TEXT NOT NULL
                );
                CREATE INDEX IF NOT EXISTS "_sluice_versions_table" ON "_sluice_versions" ("table", "id");
                """
        )
    }

    /// Whether a table (or view) called `name` exists in the main database.
    static func tableExists(_ db: Database, _ name: String) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = ?)",
            arguments: [name]
        ) ?? false
    }

    /// The column names of the main database's table `name`, in order (empty when there is no such table).
    ///
    /// The name is bound, never spliced into SQL: GRDB's `Database.columns(in:)` writes it into a `PRAGMA`, where a
    /// name holding a double quote breaks the statement.
    static func columnNames(_ db: Database, of name: String) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?, 'main') ORDER BY cid", arguments: [name])
    }

    /// The schema of `table`: the recorded one, or for a table Sluice did not create, one read from SQLite's
    /// declared types and primary key. `nil` when there is no such table.
    static func schema(_ db: Database, of table: String) throws -> Schema? {
        guard try tableExists(db, table) else { return nil }
        if try tableExists(db, tablesTable),
            let json = try String.fetchOne(
                db,
                sql: #"SELECT "schema" FROM "_sluice_tables" WHERE "name" = ?"#,
                arguments: [table]
            )
        {
            return try decode(Schema.self, json, what: "the schema of table '\(table)'")
        }
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)",
            arguments: [table]
        )
        let columns = rows.map { row in
            Column(row["name"], SQLiteSyntax.columnType(declared: row["type"] ?? ""), isNullable: row["notnull"] == 0)
        }
        let key = rows.filter { ($0["pk"] as Int? ?? 0) > 0 }.sorted { ($0["pk"] as Int) < ($1["pk"] as Int) }
            .map { $0["name"] as String }
        return Schema(columns: columns, keyColumns: key)
    }

    /// Records `schema` as `table`'s.
    static func save(_ db: Database, schema: Schema, of table: String, at time: Timestamp) throws {
        try db.execute(
            sql: """
                INSERT INTO "_sluice_tables" ("name", "schema", "updated_at") VALUES (?, ?, ?)
                ON CONFLICT ("name") DO UPDATE SET "schema" = excluded."schema", "updated_at" = excluded."updated_at"
                """,
            arguments: [table, try encode(schema), time.description]
        )
    }

    /// The tables Sluice has loaded, by name.
    static func tables(_ db: Database) throws -> [String] {
        guard try tableExists(db, tablesTable) else { return [] }
        return try String.fetchAll(db, sql: #"SELECT "name" FROM "_sluice_tables" ORDER BY "name""#)
    }

    // MARK: Versions

    /// The versions of `table`, oldest first.
    static func versions(_ db: Database, of table: String) throws -> [DataVersion] {
        guard try tableExists(db, versionsTable) else { return [] }
        let rows = try Row.fetchAll(
            db,
            sql: #"SELECT * FROM "_sluice_versions" WHERE "table" = ? ORDER BY "id""#,
            arguments: [table]
        )
        return try rows.map(version(from:))
    }

    /// The latest version of `table`, if any.
    static func latestVersion(_ db: Database, of table: String) throws -> DataVersion? {
        guard try tableExists(db, versionsTable) else { return nil }
        let row = try Row.fetchOne(
            db,
            sql: #"SELECT * FROM "_sluice_versions" WHERE "table" = ? ORDER BY "id" DESC LIMIT 1"#,
            arguments: [table]
        )
        return try row.map(version(from:))
    }

    /// Whether an earlier `append` of `table` had the input checksum `checksum`.
    static func hasAppend(_ db: Database, of table: String, inputChecksum checksum: String) throws -> Bool {
        let matching = try String.fetchAll(
            db,
            sql: """
                SELECT "id" FROM "_sluice_versions"
                WHERE "table" = ? AND "strategy" = 'append' AND "input_checksum" = ?
                """,
            arguments: [table, checksum]
        )
        guard !matching.isEmpty else { return false }
        // An append a rollback undid does not count.
        let inEffect = Set(try versions(db, of: table).inEffect().map(\.id))
        return matching.contains { inEffect.contains($0) }
    }

    /// Records `version`.
    static func insert(_ db: Database, version: DataVersion) throws {
        try db.execute(
            sql: """
                INSERT INTO "_sluice_versions" ("id", "table", "created_at", "strategy", "source", "record_count",
                    "schema_version", "checksum", "input_checksum", "parent_id", "metrics", "metadata", "schema")
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                version.id, version.table, version.createdAt.description, version.strategy.rawValue, version.source,
                version.recordCount, version.schemaVersion, version.checksum, version.inputChecksum,
                version.parentID, try encode(version.metrics), try encode(version.metadata),
                try encode(version.schema),
            ]
        )
    }

    private static func version(from row: Row) throws -> DataVersion {
        let id: String = row["id"]
        let createdText: String = row["created_at"]
        guard let createdAt = Timestamp(createdText),
            let strategy = LoadingStrategy(rawValue: row["strategy"]),
            let checksum = ContentChecksum(hex: row["checksum"]),
            let inputChecksum = ContentChecksum(hex: row["input_checksum"])
        else {
            throw SluiceError(.targetFailure, "version \(id) is malformed in _sluice_versions")
        }
        var version = DataVersion(
            id: id,
            table: row["table"],
            createdAt: createdAt,
            strategy: strategy,
            source: row["source"],
            recordCount: row["record_count"],
            schema: try decode(Schema.self, row["schema"], what: "the schema of version \(id)"),
            checksum: checksum,
            inputChecksum: inputChecksum,
            parentID: row["parent_id"],
            metrics: try decode(LoadingMetrics.self, row["metrics"], what: "the metrics of version \(id)"),
            metadata: try decode([String: String].self, row["metadata"], what: "the metadata of version \(id)")
        )
        version.schemaVersion = row["schema_version"]
        return version
    }

    // MARK: JSON

    static func encode(_ value: some Encodable) throws -> String { try CatalogJSON.encode(value) }

    static func decode<Value: Decodable>(_ type: Value.Type, _ json: String, what: String) throws -> Value {
        try CatalogJSON.decode(type, json, what: what)
    }
}
