import Logging
import PostgresNIO
import Sluice

extension PostgresLoader {
    /// Runs `VACUUM (ANALYZE)` on `table` (or on every table Sluice loaded, and its own), outside a transaction,
    /// and reports the total size (`pg_total_relation_size`: table, indexes and TOAST, summed over a partitioned
    /// table's partitions) before and after.
    public func optimize(table: String?) async throws -> OptimizationReport {
        if let table { try PostgresIdentifier.check(table: table) }
        let started = ContinuousClock.now
        let logger = self.logger
        return try await withConnection { connection in
            var names = try await Self.tableNames(connection, table, logger: logger)
            if table == nil { names += ["_sluice_tables", "_sluice_versions"] }
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
                durationSeconds: started.secondsElapsed
            )
        }
    }

    /// Rows, table and index sizes, dead tuples, the last (auto)vacuum and (auto)analyze, sequential and index scans
    /// (from `pg_stat_user_tables`), per-index sizes and scans (`pg_stat_user_indexes`) with advice (unused indexes,
    /// a missing-looking one), the partition count, and per-version counts of one table or of every table Sluice
    /// loaded. A partitioned table's figures are summed over its partitions (`pg_partition_tree`).
    public func statistics(table: String?) async throws -> TargetStatistics {
        if let table { try PostgresIdentifier.check(table: table) }
        let logger = self.logger
        let target = self.target
        return try await withConnection { connection in
            let names = try await Self.tableNames(connection, table, logger: logger)
            var tables: [TableStatistics] = []
            for name in names where try await PostgresCatalog.exists(connection, name, logger: logger) {
                tables.append(try await Self.tableStatistics(connection, name, logger: logger))
            }
            var details: [String: String] = [:]
            for row in try await connection.rows(
                "SELECT current_setting('server_version'), pg_database_size(current_database())::int8",
                logger: logger
            ) {
                let (version, size) = try row.decode((String, Int).self)
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
        var scans = (sequential: 0, index: 0)
        // A partitioned table's own sizes and counters are zero: sum them over its partition tree.
        let sql: PostgresQuery = """
            WITH r AS (SELECT to_regclass(\(quoted)) AS oid),
            tree AS (SELECT relid FROM pg_partition_tree((SELECT oid FROM r)) UNION SELECT oid FROM r)
            SELECT coalesce(sum(pg_total_relation_size(tree.relid)), 0)::int8,
            coalesce(sum(pg_table_size(tree.relid)), 0)::int8, coalesce(sum(pg_indexes_size(tree.relid)), 0)::int8,
            coalesce(sum(s.n_dead_tup), 0)::int8, coalesce(sum(s.n_live_tup), 0)::int8,
            max(s.last_vacuum)::text, max(s.last_autovacuum)::text, max(s.last_analyze)::text,
            max(s.last_autoanalyze)::text,
            (SELECT count(*) FROM pg_index i WHERE i.indrelid = (SELECT oid FROM r))::int8,
            coalesce(sum(s.seq_scan), 0)::int8, coalesce(sum(s.idx_scan), 0)::int8
            FROM tree LEFT JOIN pg_stat_user_tables s ON s.relid = tree.relid
            """
        for row in try await connection.rows(sql, logger: logger) {
            let (total, tableSize, indexSize, dead, live, vacuum, autovacuum, analyze, autoanalyze, indexes, seq, idx) =
                try row.decode((Int, Int, Int, Int, Int, String?, String?, String?, String?, Int, Int, Int).self)
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
            details["sequential_scans"] = String(seq)
            details["index_scans"] = String(idx)
            scans = (seq, idx)
        }
        let schema = try await PostgresCatalog.schema(connection, of: name, logger: logger)
        let partitionKey = try await PostgresPartitions.partitionKey(connection, of: name, logger: logger)
        var partitions: Int?
        if partitionKey != nil {
            partitions = try await PostgresPartitions.count(connection, of: name, logger: logger)
            let recorded = try await PostgresCatalog.partitioning(connection, of: name, logger: logger)
            details["partition_by"] = recorded?.description ?? partitionKey?.column ?? "an expression"
        }
        let indexes = try await PostgresIndexes.statistics(connection, table: name, logger: logger)
        let advisor = IndexAdvisor(
            rowCount: rows,
            sequentialScans: scans.sequential,
            indexScans: scans.index,
            indexes: indexes,
            keyColumns: schema?.keyColumns ?? [],
            partitionColumn: partitionKey?.column
        )
        let versions = try await PostgresCatalog.versions(connection, of: name, logger: logger).map(VersionSummary.init)
        if let latest = versions.last { details["latest_version"] = latest.id }
        return TableStatistics(
            name: name,
            rowCount: rows,
            bytes: bytes,
            versions: versions,
            details: details,
            indexes: indexes,
            partitions: partitions,
            advice: advisor.advice
        )
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
                    """
                    SELECT coalesce(sum(pg_total_relation_size(relid)), 0)::int8 FROM
                    (SELECT relid FROM pg_partition_tree(to_regclass($1)) UNION SELECT to_regclass($1)) tree
                    """,
                    .texts(PostgresSyntax.quote(name)),
                    logger: logger
                )
            )
        }
        return total
    }

    /// `[table]` once it is known to exist (else the error naming it), or every table Sluice loaded — except a name
    /// over 63 bytes recorded before such names were refused, which the server knows only cut short.
    private static func tableNames(
        _ connection: PostgresConnection,
        _ table: String?,
        logger: Logger
    ) async throws -> [String] {
        guard let table else {
            return try await PostgresCatalog.tables(connection, logger: logger).filter {
                PostgresIdentifier.problem(with: $0) == nil
            }
        }
        _ = try await requireSchema(connection, table, logger: logger)
        return [table]
    }
}
