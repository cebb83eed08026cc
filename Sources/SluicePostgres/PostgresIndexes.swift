import Logging
import PostgresNIO
import Sluice

/// Secondary indexes: created for a load's ``Sluice/LoadRequest/indexes``, and read back with their sizes and use
/// for ``PostgresLoader/statistics(table:)``, with plain-language advice.
enum PostgresIndexes {
    /// Creates each index of `indexes` on `table` unless an index of that name exists:
    /// `CREATE INDEX IF NOT EXISTS "prices_date_idx" ON "prices" ("date")`. On a partitioned table PostgreSQL
    /// creates the index on every partition, and on partitions created later.
    static func create(
        _ connection: PostgresConnection,
        table: String,
        indexes: [[String]],
        logger: Logger
    ) async throws {
        for columns in indexes {
            let name = PostgresIdentifier.index(table: table, columns: columns)
            try await connection.execute(
                "CREATE INDEX IF NOT EXISTS \(PostgresSyntax.quote(name)) ON \(PostgresSyntax.quote(table)) "
                    + "(\(PostgresSyntax.list(columns)))",
                logger: logger
            )
        }
    }

    /// The relations of `regclass`'s partition tree, itself included (`pg_partition_tree` lists nothing for a
    /// relation that is not partitioned).
    static func tree(_ regclass: String) -> String {
        "(SELECT relid FROM pg_partition_tree(\(regclass)) UNION SELECT \(regclass))"
    }

    /// `table`'s indexes: name, key columns (or expressions), bytes and scans summed over partitions.
    static func statistics(
        _ connection: PostgresConnection,
        table: String,
        logger: Logger
    ) async throws -> [IndexStatistics] {
        let quoted = PostgresSyntax.quote(table)
        let sql: PostgresQuery = """
            SELECT c.relname::text,
            array(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) k ORDER BY k),
            i.indisprimary, i.indisunique,
            (SELECT coalesce(sum(pg_relation_size(p.relid)), 0) FROM \(unescaped: tree("i.indexrelid")) p)::int8,
            (SELECT coalesce(sum(s.idx_scan), 0) FROM \(unescaped: tree("i.indexrelid")) p
            JOIN pg_stat_user_indexes s ON s.indexrelid = p.relid)::int8
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = to_regclass(\(quoted)) ORDER BY c.relname
            """
        var indexes: [IndexStatistics] = []
        for row in try await connection.rows(sql, logger: logger) {
            let (name, columns, primary, unique, bytes, scans) = try row.decode(
                (String, [String], Bool, Bool, Int, Int).self
            )
            indexes.append(
                IndexStatistics(
                    name: name,
                    columns: columns,
                    bytes: Int64(bytes),
                    scans: scans,
                    isPrimaryKey: primary,
                    isUnique: unique
                )
            )
        }
        return indexes
    }
}

/// Reads the statistics that index advice rests on and turns them into ``Sluice/IndexAdvice``.
struct IndexAdvisor {
    /// A table needs at least this many rows before sequential scans of it are worth an index.
    static let largeTableRows = 10_000
    /// Sequential scans (since the statistics were reset) that count as many.
    static let manySequentialScans = 20
    /// How many times more sequential than index scans makes an index look missing.
    static let scanRatio = 10

    /// The table's rows.
    var rowCount: Int
    /// Sequential scans of the table (summed over partitions).
    var sequentialScans: Int
    /// Index scans of the table (summed over partitions).
    var indexScans: Int
    /// The table's indexes.
    var indexes: [IndexStatistics]
    /// The table's key.
    var keyColumns: [String]
    /// The partition column, if the table is partitioned.
    var partitionColumn: String?

    /// Unused indexes (no scans, neither the primary key nor unique) and, for a large table read mostly by
    /// sequential scans, a missing-looking index on the partition column or the first key column no index leads.
    var advice: [IndexAdvice] {
        var advice: [IndexAdvice] = []
        for index in indexes where index.scans == 0 && !index.isPrimaryKey && !index.isUnique {
            let size = index.bytes.map { ", takes \(Self.sizeText($0))" } ?? ""
            advice.append(
                IndexAdvice(
                    kind: .unused,
                    index: index.name,
                    columns: index.columns,
                    message: "index \(index.name) (\(index.columns.joined(separator: ", "))) has not been scanned "
                        + "since the statistics were reset: it slows every write\(size); drop it if no query needs it"
                )
            )
        }
        if rowCount >= Self.largeTableRows && sequentialScans >= Self.manySequentialScans
            && sequentialScans > Self.scanRatio * indexScans
        {
            let leading = Set(indexes.compactMap(\.columns.first))
            let candidates = (partitionColumn.map { [$0] } ?? []) + keyColumns
            let suggested = candidates.first { !leading.contains($0) }.map { [$0] } ?? []
            let on = suggested.isEmpty ? "on the columns queries filter by" : "on (\(suggested.joined()))"
            advice.append(
                IndexAdvice(
                    kind: .missing,
                    columns: suggested,
                    message: "\(sequentialScans) sequential scans of \(rowCount) rows against \(indexScans) index "
                        + "scans: an index looks missing; consider one \(on)"
                )
            )
        }
        return advice
    }

    /// `812 bytes`, `248 KB`, `17 MB`, `3 GB`: a size for a sentence, rounded down.
    static func sizeText(_ bytes: Int64) -> String {
        let units = ["bytes", "KB", "MB", "GB", "TB"]
        var value = bytes
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return "\(value) \(units[unit])"
    }
}
