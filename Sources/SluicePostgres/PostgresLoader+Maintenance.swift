import Logging
import PostgresNIO
import Sluice

extension PostgresLoader {
    /// Runs `VACUUM (ANALYZE)` on `table` (or on every table Sluice loaded, and its own), outside a transaction,
    /// and reports the total size (`pg_total_relation_size`: table, indexes and TOAST) before and after.
    public func optimize(table: String?) async throws -> OptimizationReport {
        let started = ContinuousClock.now
        let logger = self.logger
        return try await withConnection { connection in
            let names: [String]
            if let table {
                _ = try await Self.requireSchema(connection, table, logger: logger)
                names = [table]
            } else {
                names =
                    try await PostgresCatalog.tables(connection, logger: logger) + [
                        "_sluice_tables", "_sluice_versions",
                    ]
            }
            let before = try await Self.totalBytes(connection, names, logger: logger)
            var operations: [String] = []
            for name in names where try await PostgresCatalog.exists(connection, name, logger: logger) {
                let statement = "VACUUM (ANALYZE) \(PostgresSyntax.quote(name))"
                try await connection.execute(statement, logger: logger)
                operations.append(statement)
            }
            let after = try await Self.totalBytes(connection, names, logger: logger)
            return OptimizationReport(
                bytesBefore: before,
                bytesAfter: after,
                operations: operations,
                durationSeconds: Self.seconds(since: started)
            )
        }
    }

    /// Rows, table and index sizes, dead tuples, the last (auto)vacuum and (auto)analyze (from
    /// `pg_stat_user_tables`), index count and per-version counts of one table or of every table Sluice loaded.
    public func statistics(table: String?) async throws -> TargetStatistics {
        let logger = self.logger
        let target = self.target
        return try await withConnection { connection in
            let names: [String]
            if let table {
                _ = try await Self.requireSchema(connection, table, logger: logger)
                names = [table]
            } else {
                names = try await PostgresCatalog.tables(connection, logger: logger)
            }
            var tables: [TableStatistics] = []
            for name in names where try await PostgresCatalog.exists(connection, name, logger: logger) {
                tables.append(try await Self.tableStatistics(connection, name, logger: logger))
            }
            var details: [String: String] = [:]
            for try await (version, size) in try await connection.query(
                "SELECT current_setting('server_version'), pg_database_size(current_database())::int8",
                logger: logger
            ).decode((String, Int).self) {
                details["server_version"] = version
                details["database_bytes"] = String(size)
            }
            return TargetStatistics(target: target, tables: tables, details: details)
        }
    }

    private static func tableStatistics(
        _ connection: PostgresConnection,
        _ name: String,
        logger: Logger
    ) async throws -> TableStatistics {
        let quoted = PostgresSyntax.quote(name)
        let rows = try await connection.integer("SELECT count(*) FROM \(quoted)", logger: logger)
        var details: [String: String] = [:]
        var bytes: Int64?
        let sql: PostgresQuery = """
            SELECT pg_total_relation_size(c.oid)::int8, pg_table_size(c.oid)::int8, pg_indexes_size(c.oid)::int8,
            coalesce(s.n_dead_tup, 0)::int8, coalesce(s.n_live_tup, 0)::int8,
            s.last_vacuum::text, s.last_autovacuum::text, s.last_analyze::text, s.last_autoanalyze::text,
            (SELECT count(*) FROM pg_index i WHERE i.indrelid = c.oid)::int8
            FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.oid = to_regclass(\(quoted))
            """
        let decoded = try await connection.query(sql, logger: logger)
            .decode((Int, Int, Int, Int, Int, String?, String?, String?, String?, Int).self)
        for try await (total, tableSize, indexSize, dead, live, vacuum, autovacuum, analyze, autoanalyze, indexes)
            in decoded
        {
            bytes = Int64(total)
            details["table_bytes"] = String(tableSize)
            details["index_bytes"] = String(indexSize)
            details["dead_tuples"] = String(dead)
            details["live_tuples"] = String(live)
            details["indexes"] = String(indexes)
            details["last_vacuum"] = vacuum ?? ""
            details["last_autovacuum"] = autovacuum ?? ""
            details["last_analyze"] = analyze ?? ""
            details["last_autoanalyze"] = autoanalyze ?? ""
        }
        let versions = try await PostgresCatalog.versions(connection, of: name, logger: logger).map(VersionSummary.init)
        if let latest = versions.last { details["latest_version"] = latest.id }
        return TableStatistics(name: name, rowCount: rows, bytes: bytes, versions: versions, details: details)
    }

    private static func totalBytes(
        _ connection: PostgresConnection,
        _ names: [String],
        logger: Logger
    ) async throws
        -> Int64
    {
        var total: Int64 = 0
        for name in names {
            total += Int64(
                try await connection.integer(
                    "SELECT coalesce(pg_total_relation_size(to_regclass($1)), 0)::int8",
                    .texts(PostgresSyntax.quote(name)),
                    logger: logger
                )
            )
        }
        return total
    }
}
