import Foundation
import Logging
import NIOCore
import PostgresNIO
import Sluice

/// The keyed strategies (insert-only, update-only, upsert, replace, incremental): rows are copied into a temporary
/// staging table (`ON COMMIT DROP`) with their input sequence number, line, source and whether their key may repeat
/// an earlier row's; duplicate keys are resolved (last wins, or an error under insert-only); then at most three set-based statements apply the difference, each
/// returning the row images it touched:
///
/// 1. `DELETE … WHERE NOT EXISTS (staged key)` (replace, incremental with deletion) returns the deleted rows;
/// 2. `UPDATE … FROM staging, table AS old … WHERE ROW(old values) IS DISTINCT FROM ROW(staged values)` returns
///    each changed row before and after — unchanged rows are never rewritten;
/// 3. `INSERT … SELECT … WHERE NOT EXISTS (key in table)` returns the new rows.
///
/// The counts are the returned rows (unchanged rows are the staged rows neither updated nor inserted), and the
/// checksum changes by the digests of the returned images: rows written are read back as the table stores them.
/// Nothing rewrites the staging table, and no row of the table is read that the load does not change.
struct PostgresStagedWriter {
    let connection: PostgresConnection
    let context: LoadContext
    let channel: ChunkChannel<CopyChunk, InputSummary>
    /// Where the before-images and inserted keys go, when the load records history.
    let history: PostgresHistory?

    static let stagingName = "_sluice_staging"
    static let staging = PostgresSyntax.quote(stagingName)
    static let seq = PostgresSyntax.quote("_sluice_seq")
    static let line = PostgresSyntax.quote("_sluice_line")
    static let source = PostgresSyntax.quote("_sluice_source")
    static let repeated = PostgresSyntax.quote("_sluice_repeated")

    var plan: LoadPlan { context.plan }
    var key: [String] { plan.keyColumns }
    var strategy: LoadingStrategy { context.request.strategy }
    var logger: Logger { context.logger }
    var tableSQL: String { context.tableSQL }

    /// Runs a keyed strategy.
    func write() async throws -> TableChange {
        var change = TableChange()
        try await PostgresTuning.forJoins(connection, logger: logger)
        let staged = try await stage()
        let summary = channel.summary
        change.skipped = (summary?.belowWatermark ?? 0) + (summary?.unchangedByHash ?? 0)
        var eligible = staged
        if (summary?.possibleRepeats ?? staged) > 0, try await hasDuplicateKeys() {
            if strategy == .insertOnly { try await failOnDuplicateKeys(sources: summary?.sources ?? []) }
            let superseded = try await removeSupersededRows()
            change.skipped += superseded
            eligible -= superseded
        }
        if strategy == .replace || (strategy == .incremental && context.request.deleteMissing) {
            try await deleteMissing(&change)
        }
        if strategy != .insertOnly && strategy != .updateOnly, try await hasUniqueKeyIndex() {
            try await upsertChanged(&change)
        } else {
            if strategy != .insertOnly { try await updateChanged(&change) }
            if strategy != .updateOnly { try await insertNew(&change) }
        }
        let notWritten = eligible - change.inserted - change.updated
        if strategy == .insertOnly && notWritten > 0 && context.request.onConflict == .fail {
            throw try await conflictError(notWritten)
        }
        change.skipped += notWritten
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
        if let history {
            try await history.recordEmptied()
            let names = plan.tableSchema.columnNames
            try await history.record(.deleted, columns: names, select: "\(PostgresSyntax.list(names)) FROM \(tableSQL)")
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
        // The table's own column types and constraints (`LIKE … INCLUDING CONSTRAINTS`), so that a row the table
        // would refuse is refused by the COPY, which names its line — not later by the INSERT, which cannot.
        var columns = ["LIKE \(tableSQL) INCLUDING CONSTRAINTS"]
        var names = ["_sluice_seq", "_sluice_line", "_sluice_source", "_sluice_repeated"]
        if context.rowHashes != .none {
            columns.insert(
                contentsOf: ["\"_sluice_key_hash\" bigint NOT NULL", "\"_sluice_row_hash\" bigint NOT NULL"],
                at: 0
            )
            names += ["_sluice_key_hash", "_sluice_row_hash"]
        }
        try await connection.execute("DROP TABLE IF EXISTS pg_temp.\(Self.staging)", logger: logger)
        try await connection.execute(
            """
            CREATE TEMP TABLE \(Self.staging) (\(Self.seq) bigint NOT NULL, \(Self.line) bigint NOT NULL,
            \(Self.source) integer NOT NULL, \(Self.repeated) boolean NOT NULL, \(columns.joined(separator: ", ")))
            ON COMMIT DROP
            """,
            logger: logger
        )
        let table = plan.table
        let rows = try await CopySender(connection: connection, channel: channel, logger: logger).copy(
            into: Self.stagingName,
            columns: names + plan.tableSchema.columnNames
        ) { error in
            // The server names the staging table; the user knows the table.
            var error = error
            error.message = error.message.replacingOccurrences(
                of: "relation \"\(Self.stagingName)\"",
                with: "relation \(PostgresSyntax.quote(table))"
            )
            return error
        }
        try await connection.execute("ANALYZE pg_temp.\(Self.staging)", logger: logger)
        return rows
    }

    // MARK: Duplicate keys

    /// Whether two staged rows share a key. Only rows flagged by the ``RepeatedKeyFilter`` can repeat a key, so
    /// the join hashes those alone.
    private func hasDuplicateKeys() async throws -> Bool {
        try await connection.boolean(
            """
            SELECT EXISTS (SELECT 1 FROM \(Self.staging) AS later JOIN \(Self.staging) AS first
            ON \(PostgresSyntax.equal(key, "first", "later")) AND first.\(Self.seq) < later.\(Self.seq)
            WHERE later.\(Self.repeated))
            """,
            logger: logger
        )
    }

    /// Under insert-only, a key the input holds twice fails the load, naming both lines.
    private func failOnDuplicateKeys(sources: [String]) async throws {
        let keyColumns = key.compactMap { plan.tableSchema.column(named: $0) }
        let keys = keyColumns.map { PostgresSyntax.displayExpression($0, prefix: "later") }.joined(separator: ", ")
        let sql = """
            SELECT later.\(Self.line), later.\(Self.source)::int8, first.\(Self.line), \(keys)
            FROM \(Self.staging) AS later JOIN \(Self.staging) AS first
            ON \(PostgresSyntax.equal(key, "first", "later")) AND first.\(Self.seq) < later.\(Self.seq)
            WHERE later.\(Self.repeated) ORDER BY later.\(Self.seq), first.\(Self.seq) LIMIT 1
            """
        for row in try await connection.rows(PostgresQuery(unsafeSQL: sql), logger: logger) {
            let cells = Array(row)
            let line = try cells[0].decode(Int.self)
            let number = try cells[1].decode(Int.self)
            let firstLine = try cells[2].decode(Int.self)
            let described = try KeyText.describe(key, cells: Array(cells[3...]))
            let source = sources.indices.contains(number) ? sources[number] : ""
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
            WHERE later.\(Self.repeated) AND \(PostgresSyntax.equal(key, "later", "s"))
            AND later.\(Self.seq) > s.\(Self.seq))
            """,
            logger: logger
        )
    }

    // MARK: Applying the difference

    /// Deletes the table's rows whose key the input does not hold.
    private func deleteMissing(_ change: inout TableChange) async throws {
        let delete = """
            DELETE FROM \(tableSQL) AS t WHERE NOT EXISTS (SELECT 1 FROM \(Self.staging) AS s
            WHERE \(PostgresSyntax.equal(key, "t", "s")))
            """
        let read = try await rowImages(
            history.map { history in
                "WITH d AS (\(delete) RETURNING t.*), h AS (\(history.insertPrefix(names)) SELECT \(history.tag(.deleted)), "
                    + "\(PostgresSyntax.list(names)) FROM d) SELECT \(readList("d")) FROM d"
            } ?? "\(delete) RETURNING \(readList("t"))"
        )
        change.deleted = read.rowCount
        change.delta.subtract(read.checksums[0])
    }

    /// Overwrites the rows whose staged values differ, reading each back before and after.
    private func updateChanged(_ change: inout TableChange) async throws {
        let values = plan.tableSchema.columns.filter { !key.contains($0.name) }
        guard !values.isEmpty else { return }
        let assignments = values.map { "\(PostgresSyntax.quote($0.name)) = s.\(PostgresSyntax.quote($0.name))" }
        try await history?.record(
            .updated,
            columns: names,
            select: "\(PostgresSyntax.list(names, prefix: "old")) FROM \(Self.staging) AS s JOIN \(tableSQL) AS old "
                + "ON \(PostgresSyntax.equal(key, "old", "s")) WHERE \(PostgresSyntax.distinct(values, "old", "s"))"
        )
        // `old` is the same row as read by the statement's snapshot: the values before the update.
        let read = try await rowImages(
            """
            UPDATE \(tableSQL) AS t SET \(assignments.joined(separator: ", "))
            FROM \(Self.staging) AS s, \(tableSQL) AS old
            WHERE \(PostgresSyntax.equal(key, "t", "s")) AND \(PostgresSyntax.equal(key, "old", "s"))
            AND old.ctid = t.ctid AND \(PostgresSyntax.distinct(values, "old", "s"))
            RETURNING \(readList("old")), \(readList("t"))
            """,
            images: 2
        )
        change.updated = read.rowCount
        change.delta.subtract(read.checksums[0])
        change.delta.add(read.checksums[1])
    }

    /// Whether the table has a unique index on exactly the key columns, which `INSERT … ON CONFLICT` needs.
    private func hasUniqueKeyIndex() async throws -> Bool {
        var bindings = PostgresBindings()
        bindings.append(tableSQL)
        bindings.append(key)
        return try await connection.boolean(
            """
            SELECT EXISTS (SELECT 1 FROM pg_index AS i, LATERAL (SELECT array_agg(a.attname::text) AS names
            FROM pg_attribute AS a WHERE a.attrelid = i.indrelid
            AND a.attnum = ANY ((i.indkey::int2[])[0:i.indnkeyatts - 1])) AS k
            WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
            AND i.indnkeyatts = cardinality($2::text[]) AND k.names @> $2::text[] AND $2::text[] @> k.names)
            """,
            bindings,
            logger: logger
        )
    }

    /// Upsert, incremental and replace on a table with a unique key index: the old images of the rows about to
    /// change are read first, then one `INSERT … ON CONFLICT DO UPDATE … WHERE IS DISTINCT FROM` writes new and
    /// changed rows and returns them. The rows read first are exactly the rows it updates (the staged keys are
    /// unique and the table is locked against other loads), so they give the updated count.
    private func upsertChanged(_ change: inout TableChange) async throws {
        let values = plan.tableSchema.columns.filter { !key.contains($0.name) }
        if !values.isEmpty {
            let changed = """
                FROM \(Self.staging) AS s JOIN \(tableSQL) AS old
                ON \(PostgresSyntax.equal(key, "old", "s")) WHERE \(PostgresSyntax.distinct(values, "old", "s"))
                """
            // With history, the old images are read back from the history rows the same statement writes.
            let old = try await rowImages(
                history.map { history in
                    "WITH o AS (\(history.insertPrefix(names)) SELECT \(history.tag(.updated)), \(PostgresSyntax.list(names, prefix: "old")) "
                        + "\(changed) RETURNING \(PostgresSyntax.list(names))) SELECT \(readList("o")) FROM o"
                } ?? "SELECT \(readList("old")) \(changed)"
            )
            change.updated = old.rowCount
            change.delta.subtract(old.checksums[0])
        }
        let columns = PostgresSyntax.list(plan.tableSchema.columnNames)
        let action =
            values.isEmpty
            ? "DO NOTHING"
            : "DO UPDATE SET "
                + values.map { "\(PostgresSyntax.quote($0.name)) = EXCLUDED.\(PostgresSyntax.quote($0.name))" }
                .joined(separator: ", ") + " WHERE " + PostgresSyntax.distinct(values, "t", "EXCLUDED")
        let upsert = """
            INSERT INTO \(tableSQL) AS t (\(columns)) SELECT \(PostgresSyntax.list(plan.tableSchema.columnNames,
                prefix: "s")) FROM \(Self.staging) AS s ON CONFLICT (\(PostgresSyntax.list(key))) \(action)
            """
        // With history, the statement records the keys it inserted: the rows it returns with `xmax = 0`, or on a
        // partitioned table (which cannot return `xmax`) those not among the updated rows recorded just before.
        let written = try await rowImages(
            history.map { history in
                let inserted =
                    history.returnsXmax
                    ? "WHERE w.\"_sluice_new\""
                    : "WHERE NOT EXISTS (SELECT 1 FROM \(history.tableSQL) AS u WHERE u.\(PostgresHistory.version) = "
                        + "'\(history.versionID)' AND u.\(PostgresHistory.op) = 'u' AND \(PostgresSyntax.equal(key, "u", "w")))"
                let returning = history.returnsXmax ? "t.*, (t.xmax = 0) AS \"_sluice_new\"" : "t.*"
                return "WITH w AS (\(upsert) RETURNING \(returning)), h AS (\(history.insertPrefix(key)) SELECT "
                    + "\(history.tag(.inserted)), \(PostgresSyntax.list(key, prefix: "w")) FROM w \(inserted)) "
                    + "SELECT \(readList("w")) FROM w"
            } ?? "\(upsert) RETURNING \(readList("t"))"
        )
        change.delta.add(written.checksums[0])
        change.inserted = written.rowCount - change.updated
        guard change.inserted >= 0 else {
            throw SluiceError(
                .targetFailure,
                "table '\(plan.table)': wrote \(written.rowCount) rows but \(change.updated) were expected to change; "
                    + "was it written by another session during the load?"
            )
        }
    }

    /// Inserts the staged rows whose key the table does not hold, in key order.
    private func insertNew(_ change: inout TableChange) async throws {
        let columns = PostgresSyntax.list(plan.tableSchema.columnNames)
        let insert = """
            INSERT INTO \(tableSQL) AS t (\(columns)) SELECT \(PostgresSyntax.list(plan.tableSchema.columnNames,
                prefix: "s")) FROM \(Self.staging) AS s WHERE NOT EXISTS (SELECT 1 FROM \(tableSQL) AS old
            WHERE \(PostgresSyntax.equal(key, "old", "s"))) ORDER BY \(PostgresSyntax.list(key, prefix: "s"))
            """
        let read = try await rowImages(
            history.map { history in
                "WITH w AS (\(insert) RETURNING t.*), h AS (\(history.insertPrefix(key)) SELECT \(history.tag(.inserted)), "
                    + "\(PostgresSyntax.list(key)) FROM w) SELECT \(readList("w")) FROM w"
            } ?? "\(insert) RETURNING \(readList("t"))"
        )
        change.inserted = read.rowCount
        change.delta.add(read.checksums[0])
    }

    /// Under insert-only with `onConflict: .fail`: the error naming the first staged keys the table already held
    /// (rows this transaction did not insert).
    private func conflictError(_ conflicts: Int) async throws -> SluiceError {
        let keyColumns = key.compactMap { plan.tableSchema.column(named: $0) }
        let keys = keyColumns.map { PostgresSyntax.displayExpression($0, prefix: "s") }.joined(separator: ", ")
        var described: [String] = []
        let sql = """
            SELECT \(keys) FROM \(Self.staging) AS s JOIN \(tableSQL) AS t ON \(PostgresSyntax.equal(key, "t", "s"))
            WHERE t.xmin <> pg_current_xact_id()::xid ORDER BY s.\(Self.seq) LIMIT 3
            """
        for row in try await connection.rows(PostgresQuery(unsafeSQL: sql), logger: logger) {
            described.append(try KeyText.describe(key, cells: Array(row)))
        }
        let head = conflicts == 1 ? "1 key already exists" : "\(conflicts) keys already exist"
        return SluiceError(
            .keyConflict,
            "table '\(plan.table)': \(head), first: \(described.joined(separator: ", "))"
        )
    }

    /// The digest sums of the row images `sql` returns (`images` per row, over the table's columns) and the row
    /// count.
    private func rowImages(_ sql: String, images: Int = 1) async throws -> (checksums: [ContentChecksum], rowCount: Int)
    {
        try await PostgresRowReader.checksums(
            connection,
            sql: sql,
            schema: plan.tableSchema,
            images: images,
            table: plan.table,
            logger: logger
        )
    }

    private var names: [String] { plan.tableSchema.columnNames }

    private func readList(_ prefix: String) -> String {
        PostgresSyntax.readList(plan.tableSchema.columns, prefix: prefix)
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
