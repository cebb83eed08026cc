import Logging
import PostgresNIO
import Sluice

/// History tables named before Sluice fitted its names (see ``PostgresIdentifier``).
///
/// A table name of 48 to 63 bytes used to give a history table name over 63 bytes, `_sluice_history_<table>`,
/// which the server cut to its first 63 bytes: tables that share their first 47 bytes shared that history table
/// (the bug this replaces). The history table is now ``PostgresIdentifier/history(of:)``, a different name; the old
/// one is renamed to it the first time the table's history is used (a load, rollback, diff or archive delete), in
/// that operation's transaction, only when it unambiguously belongs to this table:
///
/// - the new history table does not exist yet, and the old one does, with Sluice's history columns;
/// - no other table Sluice loaded has its history, or had it before, under the old name;
/// - every version recorded in it is one of this table's.
///
/// Otherwise the old table is left as it is and not read: the table's history starts again with its next load, and
/// rollbacks to versions before that fail in one line as for any version without history. Drop the old table by
/// hand once no table needs it.
extension PostgresHistory {
    /// `_sluice_history_<table>` as the server cut it before names were fitted, or `nil` when it was never cut.
    static func serverTruncatedName(of table: String) -> String? {
        let full = "_sluice_history_" + table
        guard full.utf8.count > PostgresIdentifier.maximumBytes else { return nil }
        return PostgresIdentifier.truncatedByServer(full)
    }

    /// Renames the table's server-truncated history table to its fitted name when it unambiguously belongs to this
    /// table (see the note on this extension); returns whether it did.
    @discardableResult
    func adoptServerTruncatedTable() async throws -> Bool {
        guard let old = Self.serverTruncatedName(of: table),
            try await !PostgresCatalog.exists(connection, Self.name(of: table), logger: logger),
            try await PostgresCatalog.exists(connection, old, logger: logger),
            try await PostgresCatalog.exists(connection, "_sluice_versions", logger: logger),
            try await hasHistoryColumns(old)
        else { return false }
        let others = try await PostgresCatalog.tables(connection, logger: logger).filter { other in
            other != table && (Self.name(of: other) == old || Self.serverTruncatedName(of: other) == old)
        }
        guard others.isEmpty, try await !holdsOtherVersions(old) else {
            logger.notice(
                "an old history table is shared with other tables; it is left as it is",
                metadata: ["table": "\(table)", "history": "\(old)"]
            )
            return false
        }
        try await connection.execute(
            "ALTER TABLE \(PostgresSyntax.quote(old)) RENAME TO \(tableSQL)",
            logger: logger
        )
        return true
    }

    /// Whether `name` has the two columns every history table has.
    private func hasHistoryColumns(_ name: String) async throws -> Bool {
        try await connection.integer(
            """
            SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass($1) AND NOT attisdropped
            AND attname IN ('_sluice_version', '_sluice_op')
            """,
            .texts(PostgresSyntax.quote(name)),
            logger: logger
        ) == 2
    }

    /// Whether the history table `name` holds rows of a version that is not one of this table's.
    private func holdsOtherVersions(_ name: String) async throws -> Bool {
        try await connection.boolean(
            """
            SELECT EXISTS (SELECT 1 FROM \(PostgresSyntax.quote(name)) h WHERE NOT EXISTS (SELECT 1 FROM
            "_sluice_versions" v WHERE v."id" = h.\(Self.version) AND v."table" = $1))
            """,
            .texts(table),
            logger: logger
        )
    }
}
