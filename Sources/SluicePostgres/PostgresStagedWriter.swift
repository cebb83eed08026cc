import Logging
import NIOCore
import PostgresNIO
import Sluice

/// The keyed strategies (insert-only, update-only, upsert, replace, incremental): rows are copied into a temporary
/// staging table (`ON COMMIT DROP`) with their input sequence number, line, source and digest; duplicates are
/// resolved (last wins, or an error under insert-only); each staged row is classified against the table (new,
/// changed, unchanged) with `IS DISTINCT FROM`; then set-based `DELETE`, `UPDATE … FROM` and `INSERT … SELECT`
/// apply the difference. Unchanged rows are never rewritten.
///
/// The checksum changes by the staged digests of rows written minus the digests of the old rows overwritten or
/// deleted — only those old rows are read back.
struct PostgresStagedWriter {
    let connection: PostgresConnection
    let context: LoadContext
    let channel: ChunkChannel<CopyChunk, InputSummary>

    static let stagingName = "_sluice_staging"
    static let staging = PostgresSyntax.quote(stagingName)
    static let seq = PostgresSyntax.quote("_sluice_seq")
    static let digest = PostgresSyntax.quote("_sluice_digest")
    static let line = PostgresSyntax.quote("_sluice_line")
    static let source = PostgresSyntax.quote("_sluice_source")
    static let state = PostgresSyntax.quote("_sluice_state")

    var plan: LoadPlan { context.plan }
    var key: [String] { plan.keyColumns }
    var strategy: LoadingStrategy { context.request.strategy }
    var logger: Logger { context.logger }
    var tableSQL: String { context.tableSQL }

    /// Runs a keyed strategy.
    func write() async throws -> TableChange {
        var change = TableChange()
        try await stage()
        let hasDuplicates = try await connection.boolean(
            "SELECT EXISTS (SELECT 1 FROM \(Self.staging) GROUP BY \(PostgresSyntax.list(key)) HAVING count(*) > 1)",
            logger: logger
        )
        if strategy == .insertOnly && hasDuplicates { try await failOnDuplicateKeys() }
        if hasDuplicates { change.skipped += try await removeSupersededRows() }
        try await classify()
        let counts = try await stateCounts()
        change.skipped += counts[.belowWatermark, default: 0]
        var applied: [StagingState] = [.new, .changed]
        switch strategy {
        case .insertOnly:
            applied = [.new]
            let conflicts = counts[.changed, default: 0] + counts[.unchanged, default: 0]
            if conflicts > 0 && context.request.onConflict == .fail { throw try await conflictError(conflicts) }
            change.skipped += conflicts
        case .updateOnly:
            applied = [.changed]
            change.skipped += counts[.new, default: 0] + counts[.unchanged, default: 0]
        default:
            change.skipped += counts[.unchanged, default: 0]
        }
        let deletesMissing = strategy == .replace || (strategy == .incremental && context.request.deleteMissing)
        try await apply(applied, deletesMissing: deletesMissing, counts: counts, to: &change)
        return change
    }

    /// `replace` without a key: the table becomes the input rows, unless it already holds exactly them.
    func replaceAll() async throws -> TableChange {
        var change = TableChange()
        let staged = try await stage()
        guard let summary = channel.summary else { return change }
        let current = try await PostgresRowReader.tableChecksum(
            connection,
            table: plan.table,
            schema: plan.tableSchema,
            logger: logger
        )
        if current.checksum == summary.inputChecksum && current.rowCount == staged {
            change.skipped = staged
            return change
        }
        change.deleted = try await connection.changedRows("DELETE FROM \(tableSQL)", logger: logger)
        let columns = PostgresSyntax.list(plan.tableSchema.columnNames)
        change.inserted = try await connection.changedRows(
            "INSERT INTO \(tableSQL) (\(columns)) SELECT \(columns) FROM \(Self.staging) ORDER BY \(Self.seq)",
            logger: logger
        )
        change.absolute = summary.inputChecksum
        return change
    }

    // MARK: Staging

    /// Creates the staging table and copies the input into it; returns the number of rows staged.
    @discardableResult
    private func stage() async throws -> Int {
        let columns = plan.tableSchema.columns.map { column in
            PostgresSyntax.quote(column.name) + " " + PostgresSyntax.declaredType(column.type)
        }
        try await connection.execute("DROP TABLE IF EXISTS pg_temp.\(Self.staging)", logger: logger)
        try await connection.execute(
            """
            CREATE TEMP TABLE \(Self.staging) (\(Self.seq) bigint NOT NULL, \(Self.digest) bytea NOT NULL,
            \(Self.line) bigint NOT NULL, \(Self.source) text NOT NULL, \(Self.state) smallint NOT NULL,
            \(columns.joined(separator: ", "))) ON COMMIT DROP
            """,
            logger: logger
        )
        let names = ["_sluice_seq", "_sluice_digest", "_sluice_line", "_sluice_source", "_sluice_state"]
        let rows = try await CopySender(connection: connection, channel: channel, logger: logger).copy(
            into: Self.stagingName,
            columns: names + plan.tableSchema.columnNames
        )
        try await connection.execute("ANALYZE pg_temp.\(Self.staging)", logger: logger)
        return rows
    }

    // MARK: Duplicates and classification

    /// Under insert-only, a key the input holds twice fails the load, naming both lines.
    private func failOnDuplicateKeys() async throws {
        let keyColumns = key.compactMap { plan.tableSchema.column(named: $0) }
        let keys = keyColumns.map { PostgresSyntax.displayExpression($0, prefix: "later") }.joined(separator: ", ")
        let sql = """
            SELECT later.\(Self.line), later.\(Self.source), first.\(Self.line), \(keys)
            FROM \(Self.staging) AS later JOIN \(Self.staging) AS first
            ON \(PostgresSyntax.equal(key, "first", "later")) AND first.\(Self.seq) < later.\(Self.seq)
            ORDER BY later.\(Self.seq), first.\(Self.seq) LIMIT 1
            """
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
            let cells = Array(row)
            let line = try cells[0].decode(Int.self)
            let source = try cells[1].decode(String.self)
            let firstLine = try cells[2].decode(Int.self)
            let described = try KeyText.describe(key, cells: Array(cells[3...]))
            let place = (source.isEmpty ? "<input>" : source) + (line > 0 ? ":\(line)" : "")
            throw SluiceError(
                .invalidKey,
                "\(place): duplicate key \(described) in the input, first at line \(firstLine)"
            )
        }
    }

    /// Deletes staged rows a later row with the same key supersedes (last wins); returns how many.
    private func removeSupersededRows() async throws -> Int {
        try await connection.changedRows(
            """
            DELETE FROM \(Self.staging) AS s WHERE EXISTS (SELECT 1 FROM \(Self.staging) AS later
            WHERE \(PostgresSyntax.equal(key, "later", "s")) AND later.\(Self.seq) > s.\(Self.seq))
            """,
            logger: logger
        )
    }

    /// Marks each pending staged row changed or unchanged (its key is in the table) or new (it is not).
    private func classify() async throws {
        let values = plan.tableSchema.columns.filter { !key.contains($0.name) }
        let state =
            values.isEmpty
            ? "\(StagingState.unchanged.rawValue)"
            : "CASE WHEN \(PostgresSyntax.distinct(values, "t", "s")) THEN \(StagingState.changed.rawValue) "
                + "ELSE \(StagingState.unchanged.rawValue) END"
        try await connection.execute(
            """
            UPDATE \(Self.staging) AS s SET \(Self.state) = \(state) FROM \(tableSQL) AS t
            WHERE \(PostgresSyntax.equal(key, "t", "s")) AND s.\(Self.state) = \(StagingState.pending.rawValue)
            """,
            logger: logger
        )
        try await connection.execute(
            "UPDATE \(Self.staging) SET \(Self.state) = \(StagingState.new.rawValue) "
                + "WHERE \(Self.state) = \(StagingState.pending.rawValue)",
            logger: logger
        )
    }

    private func stateCounts() async throws -> [StagingState: Int] {
        var counts: [StagingState: Int] = [:]
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: "SELECT \(Self.state)::int8, count(*) FROM \(Self.staging) GROUP BY \(Self.state)"
            ),
            logger: logger
        )
        for try await (state, count) in rows.decode((Int, Int).self) {
            if let state = StagingState(rawValue: state) { counts[state] = count }
        }
        return counts
    }

    private func conflictError(_ conflicts: Int) async throws -> SluiceError {
        let keyColumns = key.compactMap { plan.tableSchema.column(named: $0) }
        let keys = keyColumns.map { PostgresSyntax.displayExpression($0, prefix: "s") }.joined(separator: ", ")
        var described: [String] = []
        let sql = """
            SELECT \(keys) FROM \(Self.staging) AS s
            WHERE \(Self.state) IN (\(StagingState.changed.rawValue), \(StagingState.unchanged.rawValue))
            ORDER BY \(Self.seq) LIMIT 3
            """
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
            described.append(try KeyText.describe(key, cells: Array(row)))
        }
        let head = conflicts == 1 ? "1 key already exists" : "\(conflicts) keys already exist"
        return SluiceError(
            .keyConflict,
            "table '\(plan.table)': \(head), first: \(described.joined(separator: ", "))"
        )
    }

    // MARK: Applying the difference

    private func apply(
        _ applied: [StagingState],
        deletesMissing: Bool,
        counts: [StagingState: Int],
        to change: inout TableChange
    ) async throws {
        let schema = plan.tableSchema
        let columns = PostgresSyntax.list(schema.columnNames)
        let match = PostgresSyntax.equal(key, "t", "s")
        let newRows = applied.contains(.new) ? counts[.new, default: 0] : 0
        let changedRows = applied.contains(.changed) ? counts[.changed, default: 0] : 0
        if changedRows > 0 {
            change.delta.subtract(
                try await digestRows(
                    "SELECT \(PostgresSyntax.readList(schema.columns, prefix: "t")) FROM \(Self.staging) AS s "
                        + "JOIN \(tableSQL) AS t ON \(match) WHERE s.\(Self.state) = \(StagingState.changed.rawValue)"
                )
            )
        }
        if deletesMissing {
            let missing = "NOT EXISTS (SELECT 1 FROM \(Self.staging) AS s WHERE \(match))"
            change.delta.subtract(
                try await digestRows(
                    "SELECT \(PostgresSyntax.readList(schema.columns, prefix: "t")) FROM \(tableSQL) AS t "
                        + "WHERE \(missing)"
                )
            )
            change.deleted = try await connection.changedRows(
                "DELETE FROM \(tableSQL) AS t WHERE \(missing)",
                logger: logger
            )
        }
        let states = applied.map { String($0.rawValue) }.joined(separator: ", ")
        if newRows + changedRows > 0 { change.delta.add(try await stagedDigests(states: states)) }
        let values = schema.columnNames.filter { !key.contains($0) }
        if changedRows > 0 && !values.isEmpty {
            let assignments = values.map { "\(PostgresSyntax.quote($0)) = s.\(PostgresSyntax.quote($0))" }
            change.updated = try await connection.changedRows(
                "UPDATE \(tableSQL) AS t SET \(assignments.joined(separator: ", ")) "
                    + "FROM \(Self.staging) AS s WHERE \(match) AND s.\(Self.state) = \(StagingState.changed.rawValue)",
                logger: logger
            )
        }
        if newRows > 0 {
            change.inserted = try await connection.changedRows(
                "INSERT INTO \(tableSQL) (\(columns)) SELECT \(columns) FROM \(Self.staging) "
                    + "WHERE \(Self.state) = \(StagingState.new.rawValue) ORDER BY \(PostgresSyntax.list(key))",
                logger: logger
            )
        }
        guard change.updated == changedRows || values.isEmpty, change.inserted == newRows else {
            throw SluiceError(
                .targetFailure,
                "table '\(plan.table)': wrote \(change.inserted) new and \(change.updated) changed rows, "
                    + "expected \(newRows) and \(changedRows)"
            )
        }
    }

    /// The sum of the digests of the rows `sql` selects (the table's columns, in order, as read expressions).
    private func digestRows(_ sql: String) async throws -> ContentChecksum {
        try await PostgresRowReader.checksum(
            connection,
            sql: sql,
            schema: plan.tableSchema,
            table: plan.table,
            logger: logger
        ).checksum
    }

    /// The sum of the staged digests of rows in `states`.
    private func stagedDigests(states: String) async throws -> ContentChecksum {
        var sum = ContentChecksum.zero
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: "SELECT \(Self.digest) FROM \(Self.staging) WHERE \(Self.state) IN (\(states))"),
            logger: logger
        )
        for try await row in rows {
            for cell in row {
                guard let bytes = cell.bytes, bytes.readableBytes == 32 else { continue }
                bytes.withUnsafeReadableBytes { sum.add(ContentChecksum(digestBytes: $0)) }
            }
        }
        return sum
    }
}

/// Key values as they appear in messages: `(symbol=AAPL, date=2024-01-02)`.
enum KeyText {
    static func describe(_ columns: [String], cells: [PostgresCell]) throws -> String {
        var parts: [String] = []
        for (index, column) in columns.enumerated() {
            let text = index < cells.count ? try cells[index].decode(String?.self) : nil
            parts.append("\(column)=\(text ?? "NULL")")
        }
        return "(" + parts.joined(separator: ", ") + ")"
    }
}
