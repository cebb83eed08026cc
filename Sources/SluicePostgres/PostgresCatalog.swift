import Foundation
import Logging
import PostgresNIO
import Sluice

/// Sluice's own tables in the database, in the first schema of the search path: `_sluice_tables` (table → schema
/// JSON, the source of truth for types) and `_sluice_versions` (one row per ``Sluice/DataVersion``), with the
/// same columns as the SQLite target's.
enum PostgresCatalog {
    static let creation = [
        """
        CREATE TABLE IF NOT EXISTS "_sluice_tables" ("name" text PRIMARY KEY, "schema" text NOT NULL,
        "updated_at" text NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS "_sluice_versions" ("id" text PRIMARY KEY, "table" text NOT NULL,
        "created_at" text NOT NULL, "strategy" text NOT NULL, "source" text NOT NULL, "record_count" bigint NOT NULL,
        "schema_version" text NOT NULL, "checksum" text NOT NULL, "input_checksum" text NOT NULL, "parent_id" text,
        "metrics" text NOT NULL, "metadata" text NOT NULL, "schema" text NOT NULL)
        """,
        #"CREATE INDEX IF NOT EXISTS "_sluice_versions_table" ON "_sluice_versions" ("table", "id")"#,
    ]

    /// Creates the catalog tables when missing.
    static func create(_ connection: PostgresConnection, logger: Logger) async throws {
        guard try await !exists(connection, "_sluice_versions", logger: logger) else { return }
        for statement in creation { try await connection.execute(statement, logger: logger) }
    }

    /// Whether a table called `name` is found on the search path.
    static func exists(_ connection: PostgresConnection, _ name: String, logger: Logger) async throws -> Bool {
        try await connection.boolean(
            "SELECT to_regclass($1) IS NOT NULL",
            .texts(PostgresSyntax.quote(name)),
            logger: logger
        )
    }

    /// The schema of `table`: the recorded one, or for a table Sluice did not create, one read from the system
    /// catalog. `nil` when there is no such table.
    ///
    /// Also refuses a name the server would cut (``PostgresIdentifier/check(table:)``): every public entry point
    /// checks first, and this is where a table's name first reaches SQL, so no later one can miss the check.
    static func schema(_ connection: PostgresConnection, of table: String, logger: Logger) async throws -> Schema? {
        try PostgresIdentifier.check(table: table)
        guard try await exists(connection, table, logger: logger) else { return nil }
        if try await exists(connection, "_sluice_tables", logger: logger) {
            let rows = try await connection.rows(
                #"SELECT "schema" FROM "_sluice_tables" WHERE "name" = \#(table)"#,
                logger: logger
            )
            for row in rows {
                return try decode(Schema.self, try row.decode(String.self), what: "the schema of table '\(table)'")
            }
        }
        return try await systemSchema(connection, of: table, logger: logger)
    }

    private static func systemSchema(
        _ connection: PostgresConnection,
        of table: String,
        logger: Logger
    ) async throws -> Schema {
        let quoted = PostgresSyntax.quote(table)
        var columns: [Column] = []
        let rows = try await connection.rows(
            """
            SELECT a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_attribute a
            WHERE a.attrelid = to_regclass(\(quoted)) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
            """,
            logger: logger
        )
        for row in rows {
            let (name, type, notNull) = try row.decode((String, String, Bool).self)
            columns.append(Column(name, PostgresSyntax.columnType(formatted: type), isNullable: !notNull))
        }
        let keyRows = try await connection.rows(
            """
            SELECT a.attname::text FROM pg_index i JOIN pg_attribute a
            ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
            WHERE i.indrelid = to_regclass(\(quoted)) AND i.indisprimary
            ORDER BY array_position(i.indkey::int2[], a.attnum)
            """,
            logger: logger
        )
        let key = try keyRows.map { try $0.decode(String.self) }
        return Schema(columns: columns, keyColumns: key)
    }

    /// Records `schema` as `table`'s.
    static func save(_ connection: PostgresConnection, schema: Schema, of table: String, logger: Logger) async throws {
        try await connection.execute(
            """
            INSERT INTO "_sluice_tables" ("name", "schema", "updated_at") VALUES ($1, $2, $3)
            ON CONFLICT ("name") DO UPDATE SET "schema" = excluded."schema", "updated_at" = excluded."updated_at"
            """,
            .texts(table, try encode(schema), Timestamp.now.description),
            logger: logger
        )
    }

    /// The tables Sluice has loaded, by name.
    static func tables(_ connection: PostgresConnection, logger: Logger) async throws -> [String] {
        guard try await exists(connection, "_sluice_tables", logger: logger) else { return [] }
        let rows = try await connection.rows(#"SELECT "name" FROM "_sluice_tables" ORDER BY "name""#, logger: logger)
        return try rows.map { try $0.decode(String.self) }
    }

    // MARK: Partitioning

    /// The partitioning Sluice recorded for `table` (`_sluice_partitions`, created with the first partitioned
    /// table), if any.
    static func partitioning(
        _ connection: PostgresConnection,
        of table: String,
        logger: Logger
    ) async throws -> Partitioning? {
        guard try await exists(connection, "_sluice_partitions", logger: logger) else { return nil }
        let rows = try await connection.rows(
            #"SELECT "partition_by" FROM "_sluice_partitions" WHERE "table" = \#(table)"#,
            logger: logger
        )
        return try rows.first.map { try Partitioning(parsing: try $0.decode(String.self)) }
    }

    /// Records `partitioning` as `table`'s, creating `_sluice_partitions` when missing (under the catalog's advisory
    /// lock, so that two first loads do not race to create it).
    static func save(
        _ connection: PostgresConnection,
        partitioning: Partitioning,
        of table: String,
        logger: Logger
    ) async throws {
        if try await !exists(connection, "_sluice_partitions", logger: logger) {
            try await connection.lockForTransaction(PostgresLockKey.catalog, logger: logger)
            try await connection.execute(
                #"CREATE TABLE IF NOT EXISTS "_sluice_partitions" ("table" text PRIMARY KEY, "#
                    + #""partition_by" text NOT NULL)"#,
                logger: logger
            )
        }
        try await connection.execute(
            """
            INSERT INTO "_sluice_partitions" ("table", "partition_by") VALUES ($1, $2)
            ON CONFLICT ("table") DO UPDATE SET "partition_by" = excluded."partition_by"
            """,
            .texts(table, partitioning.description),
            logger: logger
        )
    }

    // MARK: Versions

    static let versionColumns = """
        "id", "table", "created_at", "strategy", "source", "record_count", "schema_version", "checksum",
        "input_checksum", "parent_id", "metrics", "metadata", "schema"
        """

    /// The versions of `table`, oldest first (or only the latest).
    static func versions(
        _ connection: PostgresConnection,
        of table: String,
        latestOnly: Bool = false,
        logger: Logger
    ) async throws -> [DataVersion] {
        guard try await exists(connection, "_sluice_versions", logger: logger) else { return [] }
        let order = latestOnly ? #"ORDER BY "id" DESC LIMIT 1"# : #"ORDER BY "id""#
        let rows = try await connection.rows(
            PostgresQuery(
                unsafeSQL: #"SELECT \#(versionColumns) FROM "_sluice_versions" WHERE "table" = $1 \#(order)"#,
                binds: .texts(table)
            ),
            logger: logger
        )
        return try rows.map { try version(from: $0) }
    }

    /// The latest version of `table`, if any.
    static func latestVersion(
        _ connection: PostgresConnection,
        of table: String,
        logger: Logger
    ) async throws -> DataVersion? {
        try await versions(connection, of: table, latestOnly: true, logger: logger).last
    }

    /// Whether an earlier `append` of `table` had the input checksum `checksum`.
    static func hasAppend(
        _ connection: PostgresConnection,
        of table: String,
        inputChecksum checksum: String,
        logger: Logger
    ) async throws -> Bool {
        var matching: [String] = []
        let query = PostgresQuery(
            unsafeSQL: """
                SELECT "id" FROM "_sluice_versions"
                WHERE "table" = $1 AND "strategy" = 'append' AND "input_checksum" = $2
                """,
            binds: .texts(table, checksum)
        )
        for row in try await connection.rows(query, logger: logger) {
            matching.append(try row.decode(String.self))
        }
        guard !matching.isEmpty else { return false }
        // An append a rollback undid does not count.
        let inEffect = Set(try await versions(connection, of: table, logger: logger).inEffect().map(\.id))
        return matching.contains { inEffect.contains($0) }
    }

    /// Records `version`.
    static func insert(_ connection: PostgresConnection, version: DataVersion, logger: Logger) async throws {
        var binds = PostgresBindings(capacity: 13)
        binds.append(version.id)
        binds.append(version.table)
        binds.append(version.createdAt.description)
        binds.append(version.strategy.rawValue)
        binds.append(version.source)
        binds.append(version.recordCount)
        binds.append(version.schemaVersion)
        binds.append(version.checksum)
        binds.append(version.inputChecksum)
        binds.append(version.parentID)
        binds.append(try encode(version.metrics))
        binds.append(try encode(version.metadata))
        binds.append(try encode(version.schema))
        try await connection.execute(
            #"INSERT INTO "_sluice_versions" (\#(versionColumns)) "#
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            binds,
            logger: logger
        )
    }

    private static func version(from row: PostgresRow) throws -> DataVersion {
        let (
            id, table, created, strategyName, source, recordCount, schemaVersion, checksumText, inputText, parentID,
            metricsJSON, metadataJSON, schemaJSON
        ) = try row.decode(
            (String, String, String, String, String, Int, String, String, String, String?, String, String, String).self
        )
        guard let createdAt = Timestamp(created), let strategy = LoadingStrategy(rawValue: strategyName),
            let checksum = ContentChecksum(hex: checksumText), let inputChecksum = ContentChecksum(hex: inputText)
        else {
            throw SluiceError(.targetFailure, "version \(id) is malformed in _sluice_versions")
        }
        var version = DataVersion(
            id: id,
            table: table,
            createdAt: createdAt,
            strategy: strategy,
            source: source,
            recordCount: recordCount,
            schema: try decode(Schema.self, schemaJSON, what: "the schema of version \(id)"),
            checksum: checksum,
            inputChecksum: inputChecksum,
            parentID: parentID,
            metrics: try decode(LoadingMetrics.self, metricsJSON, what: "the metrics of version \(id)"),
            metadata: try decode([String: String].self, metadataJSON, what: "the metadata of version \(id)")
        )
        version.schemaVersion = schemaVersion
        return version
    }

    // MARK: JSON

    static func encode(_ value: some Encodable) throws -> String { try CatalogJSON.encode(value) }

    static func decode<Value: Decodable>(_ type: Value.Type, _ json: String, what: String) throws -> Value {
        try CatalogJSON.decode(type, json, what: what)
    }
}
