import Logging
import PostgresNIO
import Sluice

/// Row-hash change detection for incremental loads: per table, the key hash and row hash of each row Sluice last
/// staged, valid for one version of the table.
///
/// `_sluice_row_hash_sets` names, per table, the version the hashes describe; the hashes live in a table of their
/// own (`_sluice_row_hashes_<table>`, `key_hash bigint PRIMARY KEY, row_hash bigint`). An incremental load whose
/// parent is that version reads them (``load(_:table:version:logger:)``) and sends only the rows whose hash differs
/// or whose key is unknown; the set is then brought up to date with the staged rows, in the load's transaction, and
/// stamped with the new version. A load of any other strategy makes a new version, so the set no longer matches
/// and the next incremental load compares every row on the server again (and records them all).
///
/// The hashes are a cache of what Sluice wrote: a table changed behind Sluice's back (by hand, without a version)
/// is not seen by them — `verify` shows such drift, and an `upsert` compares every row.
enum PostgresRowHashes {
    static let sets = "_sluice_row_hash_sets"

    /// The name of `table`'s hash table.
    static func hashTable(of table: String) -> String {
        PostgresIdentifier.rowHashes(of: table)
    }

    /// The hashes recorded for `table` at `version`, or `nil` when none are (or they describe another version).
    static func load(
        _ connection: PostgresConnection,
        table: String,
        version: String,
        logger: Logger
    ) async throws -> RowHashMap? {
        guard try await PostgresCatalog.exists(connection, sets, logger: logger),
            try await connection.boolean(
                "SELECT EXISTS (SELECT 1 FROM \(PostgresSyntax.quote(sets)) WHERE \"table\" = $1 AND \"version\" = $2)",
                .texts(table, version),
                logger: logger
            )
        else { return nil }
        // Key and row hash pairs as big-endian bytes in 64 rows of a few hundred kilobytes (grouped by the key hash's
        // top bits): far faster to decode than one row per key. Sorted here, not by the server.
        let entries = try await connection.reduceRows(
            PostgresQuery(
                unsafeSQL: """
                    SELECT string_agg(int8send(key_hash) || int8send(row_hash), ''::bytea)
                    FROM \(PostgresSyntax.quote(hashTable(of: table))) GROUP BY key_hash >> 58
                    """
            ),
            into: [RowHashMap.Entry](),
            logger: logger
        ) { entries, row in
            for cell in row {
                guard var bytes = cell.bytes else { continue }
                while let key = bytes.readInteger(as: Int64.self), let hash = bytes.readInteger(as: Int64.self) {
                    entries.append(RowHashMap.Entry(key: key, hash: hash))
                }
            }
        }
        return RowHashMap(entries)
    }

    /// Records the staged rows' hashes for `table` at `version`: added to the set when `replacing` is false (the
    /// set described the parent, and only changed or unknown rows were staged), or instead of it.
    static func record(
        _ connection: PostgresConnection,
        table: String,
        version: String,
        staging: String,
        replacing: Bool,
        logger: Logger
    ) async throws {
        let hashes = PostgresSyntax.quote(hashTable(of: table))
        let key = PostgresIdentifier.primaryKeyClause(of: hashTable(of: table), columns: ["key_hash"])
        try await connection.execute(
            """
            CREATE TABLE IF NOT EXISTS \(PostgresSyntax.quote(sets)) ("table" text PRIMARY KEY,
            "version" text NOT NULL)
            """,
            logger: logger
        )
        try await connection.execute(
            "CREATE TABLE IF NOT EXISTS \(hashes) (key_hash bigint NOT NULL, row_hash bigint NOT NULL, \(key))",
            logger: logger
        )
        if replacing { try await connection.execute("TRUNCATE \(hashes)", logger: logger) }
        // Two keys of one hash keep neither: their rows are always sent.
        try await connection.execute(
            """
            INSERT INTO \(hashes) (key_hash, row_hash) SELECT "_sluice_key_hash", min("_sluice_row_hash")
            FROM \(staging) GROUP BY "_sluice_key_hash" HAVING count(*) = 1
            ON CONFLICT (key_hash) DO UPDATE SET row_hash = EXCLUDED.row_hash
            """,
            logger: logger
        )
        try await connection.execute(
            """
            INSERT INTO \(PostgresSyntax.quote(sets)) ("table", "version") VALUES ($1, $2)
            ON CONFLICT ("table") DO UPDATE SET "version" = EXCLUDED."version"
            """,
            .texts(table, version),
            logger: logger
        )
    }
}
