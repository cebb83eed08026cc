import Logging
import PostgresNIO
import Sluice

/// Range partitions by time (``Sluice/Partitioning``), created as the data arrives.
///
/// A partitioned table Sluice loads has a `DEFAULT` partition (`prices_default`). Rows go into the table as on any
/// other load — COPY for append, the staged set-based SQL for the keyed strategies — and land in their range
/// partition when it exists, or in the default one. After the strategy ran, in the same transaction, the rows in the
/// default partition are moved to partitions created for them: the default partition is detached, one
/// `CREATE TABLE IF NOT EXISTS "prices_2024_01" PARTITION OF "prices" FOR VALUES FROM ('2024-01-01') TO
/// ('2024-02-01')` per range its rows need, its rows inserted into the table (now routed to the new partitions), the
/// default partition emptied and attached again. The partition column is declared `NOT NULL` when Sluice creates the
/// table (a range partition cannot hold NULL), so a row without a value fails the load naming its source line.
struct PostgresPartitions {
    let connection: PostgresConnection
    let table: String
    let partitioning: Partitioning
    let schema: Schema
    let logger: Logger

    var tableSQL: String { PostgresSyntax.quote(table) }
    var columnSQL: String { PostgresSyntax.quote(partitioning.column) }
    var isDate: Bool { schema.column(named: partitioning.column)?.type == .date }

    /// `PARTITION BY RANGE ("date")`, the clause that ends a partitioned table's `CREATE TABLE`.
    static func clause(_ partitioning: Partitioning) -> String {
        "PARTITION BY RANGE (\(PostgresSyntax.quote(partitioning.column)))"
    }

    /// The partitioning a load uses: the request's when the load creates the table (checked against the schema and
    /// key); for an existing table, the one it has (from `pg_partitioned_table` and the granularity Sluice recorded,
    /// or the request's when it names the same column). `nil`: the table is not partitioned, or not by a range Sluice
    /// knows how to extend.
    static func resolve(
        _ connection: PostgresConnection,
        plan: LoadPlan,
        requested: Partitioning?,
        logger: Logger
    ) async throws -> Partitioning? {
        let table = plan.table
        if plan.createsTable {
            try requested?.check(plan.tableSchema, table: table)
            return requested
        }
        guard let found = try await partitionKey(connection, of: table, logger: logger) else {
            if let requested {
                throw SluiceError(
                    .invalidRequest,
                    "table '\(table)' exists and is not partitioned; partitioning by \(requested) applies when the "
                        + "load creates the table"
                )
            }
            return nil
        }
        let recorded = try await PostgresCatalog.partitioning(connection, of: table, logger: logger)
        guard let requested else {
            return recorded.flatMap { found.isRange && found.column == $0.column ? $0 : nil }
        }
        guard found.isRange, found.column == requested.column else {
            let described = found.isRange ? "by range on '\(found.column ?? "an expression")'" : "otherwise"
            throw SluiceError(
                .invalidRequest,
                "table '\(table)' is partitioned \(described), not by range on '\(requested.column)'"
            )
        }
        if let recorded, recorded != requested {
            throw SluiceError(
                .invalidRequest,
                "table '\(table)' is partitioned by \(recorded); the load asks for \(requested)"
            )
        }
        try requested.check(plan.tableSchema, table: table)
        return requested
    }

    /// The partition key of `table` when it is a partitioned table: its column (`nil` for an expression or several
    /// columns) and whether it partitions by range.
    static func partitionKey(
        _ connection: PostgresConnection,
        of table: String,
        logger: Logger
    ) async throws -> (column: String?, isRange: Bool)? {
        let sql: PostgresQuery = """
            SELECT p.partstrat::text, p.partnatts::int8, a.attname::text FROM pg_partitioned_table p
            LEFT JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
            WHERE p.partrelid = to_regclass(\(PostgresSyntax.quote(table)))
            """
        for row in try await connection.rows(sql, logger: logger) {
            let (strategy, columns, name) = try row.decode((String, Int, String?).self)
            return (columns == 1 ? name : nil, strategy == "r" && columns == 1 && name != nil)
        }
        return nil
    }

    /// Creates the table's `DEFAULT` partition unless it has one, so that rows of ranges without a partition have
    /// somewhere to go until ``distribute()`` creates their partitions.
    func prepare() async throws {
        guard try await defaultPartition() == nil else { return }
        let name = PostgresIdentifier.partition(table: table, suffix: "default")
        try await connection.execute(
            "CREATE TABLE \(PostgresSyntax.quote(name)) PARTITION OF \(tableSQL) DEFAULT",
            logger: logger
        )
    }

    /// Moves the rows in the default partition into range partitions created for them; returns the names of the
    /// partitions created. `sources` names the staged rows' source numbers, for errors.
    @discardableResult
    func distribute(sources: [String] = []) async throws -> [String] {
        guard let holding = try await defaultPartition(),
            try await connection.boolean("SELECT EXISTS (SELECT 1 FROM \(holding))", logger: logger)
        else { return [] }
        if try await connection.boolean(
            "SELECT EXISTS (SELECT 1 FROM \(holding) WHERE \(columnSQL) IS NULL)",
            logger: logger
        ) {
            throw try await nullValueError(sources: sources)
        }
        let lowers = try await rangesNeeded(in: holding)
        try await connection.execute("ALTER TABLE \(tableSQL) DETACH PARTITION \(holding)", logger: logger)
        var created: [String] = []
        for lower in lowers {
            let (from, to) = partitioning.range(containing: lower)
            let name = PostgresIdentifier.partition(table: table, suffix: partitioning.suffix(startingOn: from))
            try await connection.execute(
                "CREATE TABLE IF NOT EXISTS \(PostgresSyntax.quote(name)) PARTITION OF \(tableSQL) "
                    + "FOR VALUES FROM (\(bound(from))) TO (\(bound(to)))",
                logger: logger
            )
            created.append(name)
        }
        let columns = PostgresSyntax.list(schema.columnNames)
        try await connection.execute(
            "INSERT INTO \(tableSQL) (\(columns)) SELECT \(columns) FROM \(holding)",
            logger: logger
        )
        try await connection.execute("TRUNCATE \(holding)", logger: logger)
        try await connection.execute("ALTER TABLE \(tableSQL) ATTACH PARTITION \(holding) DEFAULT", logger: logger)
        return created
    }

    /// The default partition as SQL text (`regclass` output, quoted by the server), if the table has one.
    private func defaultPartition() async throws -> String? {
        let sql: PostgresQuery = """
            SELECT partdefid::regclass::text FROM pg_partitioned_table
            WHERE partrelid = to_regclass(\(tableSQL)) AND partdefid <> 0
            """
        return try await connection.rows(sql, logger: logger).first?.decode(String.self)
    }

    /// The first days of the ranges the rows of `holding` fall in.
    private func rangesNeeded(in holding: String) async throws -> [CivilDate] {
        let value = isDate ? "\(columnSQL)::timestamp" : columnSQL
        let start = "date_trunc('\(partitioning.granularity.rawValue)', \(value))::date"
        var lowers: [CivilDate] = []
        let rows = try await connection.rows(
            PostgresQuery(unsafeSQL: "SELECT DISTINCT \(start)::text FROM \(holding) ORDER BY 1"),
            logger: logger
        )
        for row in rows {
            let text = try row.decode(String.self)
            guard let date = CivilDate(text) else {
                throw SluiceError(
                    .targetFailure,
                    "table '\(table)': cannot partition rows dated \(text) (outside the years 1 to 9999)"
                )
            }
            lowers.append(date)
        }
        return lowers
    }

    /// A range bound as SQL: `'2024-01-01'` for a date column, `'2024-01-01 00:00:00+00'` for a timestamp one. Made
    /// from a ``Sluice/CivilDate``, never from input text.
    private func bound(_ date: CivilDate) -> String {
        isDate ? "'\(date)'" : "'\(date) 00:00:00+00'"
    }

    /// The error for rows without a partition value, naming the first one's source line when the load staged it.
    private func nullValueError(sources: [String]) async throws -> SluiceError {
        var place = ""
        if try await connection.boolean("SELECT to_regclass('pg_temp._sluice_staging') IS NOT NULL", logger: logger) {
            let sql = """
                SELECT "_sluice_source"::int8, "_sluice_line" FROM pg_temp."_sluice_staging"
                WHERE \(columnSQL) IS NULL ORDER BY "_sluice_seq" LIMIT 1
                """
            for row in try await connection.rows(PostgresQuery(unsafeSQL: sql), logger: logger) {
                let (number, line) = try row.decode((Int, Int).self)
                let source = sources.indices.contains(number) ? sources[number] : ""
                place = (source.isEmpty ? "<input>" : source) + (line > 0 ? ":\(line)" : "") + ": "
            }
        }
        return Self.nullValue(place: place, table: table, column: partitioning.column)
    }

    static func nullValue(place: String, table: String, column: String, underlying: PSQLError? = nil) -> SluiceError {
        SluiceError(
            .invalidKey,
            "\(place)no value in partition column '\(column)' of table '\(table)': every row of a partitioned table "
                + "needs one",
            underlying: underlying
        )
    }

    /// `error` (from COPY) reworded when the server refused a NULL in the partition column: the source line kept,
    /// the server's message replaced by one that says why the column needs a value.
    static func describing(_ error: SluiceError, table: String, partitioning: Partitioning) -> SluiceError {
        guard let server = error.underlying as? PSQLError, PostgresFailure.sqlState(server) == "23502",
            server.serverInfo?[.columnName] == partitioning.column
        else { return error }
        let message = server.serverInfo?[.message] ?? ""
        let start = message.isEmpty ? nil : error.message.indices.first { error.message[$0...].hasPrefix(message) }
        let place = start.map { String(error.message[..<$0]) } ?? ""
        return nullValue(place: place, table: table, column: partitioning.column, underlying: server)
    }
}

extension PostgresPartitions {
    /// How many partitions `table` has, its default partition not counted.
    static func count(_ connection: PostgresConnection, of table: String, logger: Logger) async throws -> Int {
        try await connection.integer(
            """
            SELECT count(*) FROM pg_partition_tree(to_regclass($1)) p WHERE p.isleaf AND p.relid IS DISTINCT FROM
            (SELECT nullif(partdefid, 0) FROM pg_partitioned_table WHERE partrelid = to_regclass($1))
            """,
            .texts(PostgresSyntax.quote(table)),
            logger: logger
        )
    }
}
