import GRDB
import GRDBSQLite
import Sluice

/// The keyed strategies (insert-only, update-only, upsert, replace, incremental): rows are staged into a
/// temporary table with their input sequence number, line and digest; duplicates are resolved (last wins, or an
/// error under insert-only); each staged row is classified against the table (new, changed, unchanged) by one
/// set-based statement; then set-based `DELETE`, `UPDATE … FROM` and `INSERT … SELECT` apply the difference.
/// Unchanged rows are never rewritten.
///
/// The checksum changes by the staged digests of rows written minus the digests of the old rows overwritten or
/// deleted — only those old rows are read back.
struct StagedWriter {
    let db: Database
    let context: LoadContext
    let channel: PreparedInput.Channel
    let parent: DataVersion?
    /// Where the before-images go, when the load records history.
    let history: SQLiteHistory?

    /// Where a staged row stands.
    enum State: Int {
        case pending = 0
        case belowWatermark = 1
        case new = 2
        case changed = 3
        case unchanged = 4
    }

    static let staging = SQLiteSyntax.quote("_sluice_staging")
    static let seq = SQLiteSyntax.quote("_sluice_seq")
    static let digest = SQLiteSyntax.quote("_sluice_digest")
    static let line = SQLiteSyntax.quote("_sluice_line")
    static let source = SQLiteSyntax.quote("_sluice_source")
    static let state = SQLiteSyntax.quote("_sluice_state")

    var plan: LoadPlan { context.plan }
    var key: [String] { plan.keyColumns }
    var strategy: LoadingStrategy { context.request.strategy }

    /// Runs a keyed strategy.
    func write() throws -> TableChange {
        var change = TableChange()
        try createStaging(keyed: true)
        defer { try? db.execute(sql: "DROP TABLE IF EXISTS temp.\(Self.staging)") }
        change.metadata = try stage()
        let hasDuplicates = try inputHasDuplicateKeys()
        if strategy == .insertOnly && hasDuplicates { try failOnDuplicateKeys() }
        if hasDuplicates { change.skipped += try removeSupersededRows() }
        try classify()
        let counts = try stateCounts()
        change.skipped += counts[.belowWatermark, default: 0]
        var applied: [State] = [.new, .changed]
        switch strategy {
        case .insertOnly:
            applied = [.new]
            let conflicts = counts[.changed, default: 0] + counts[.unchanged, default: 0]
            if conflicts > 0 && context.request.onConflict == .fail { throw try conflictError(conflicts) }
            change.skipped += conflicts
        case .updateOnly:
            applied = [.changed]
            change.skipped += counts[.new, default: 0] + counts[.unchanged, default: 0]
        default:
            change.skipped += counts[.unchanged, default: 0]
        }
        let deletesMissing = strategy == .replace || (strategy == .incremental && context.request.deleteMissing)
        try apply(applied, deletesMissing: deletesMissing, counts: counts, to: &change)
        return change
    }

    /// `replace` without a key: the table becomes the input rows, unless it already holds exactly them.
    func replaceAll() throws -> TableChange {
        var change = TableChange()
        try createStaging(keyed: false)
        defer { try? db.execute(sql: "DROP TABLE IF EXISTS temp.\(Self.staging)") }
        _ = try stage()
        guard let summary = channel.summary else { return change }
        let staged = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(Self.staging)") ?? 0
        let current = try TableScan.checksum(db, table: plan.table, schema: plan.tableSchema)
        if current.checksum == summary.inputChecksum && current.rowCount == staged {
            change.skipped = staged
            return change
        }
        if let history {
            try history.recordEmptied()
            let columns = SQLiteSyntax.list(plan.tableSchema.columnNames)
            try history.record(
                .deleted,
                columns: plan.tableSchema.columnNames,
                select: "\(columns) FROM \(context.tableSQL)"
            )
        }
        try db.execute(sql: "DELETE FROM \(context.tableSQL)")
        change.deleted = db.changesCount
        let columns = SQLiteSyntax.list(plan.tableSchema.columnNames)
        try db.execute(
            sql:
                "INSERT INTO \(context.tableSQL) (\(columns)) SELECT \(columns) FROM \(Self.staging) ORDER BY \(Self.seq)"
        )
        change.inserted = db.changesCount
        change.absolute = summary.inputChecksum
        return change
    }

    // MARK: Staging

    /// Creates the staging table. Keyed staging is clustered by (key, input sequence): duplicates sit side by
    /// side, and every later pass walks the target table in key order (its primary key order), so the target's
    /// pages are visited once, in order, instead of at random in input order.
    private func createStaging(keyed: Bool) throws {
        let columns = plan.tableSchema.columns.map { column in
            SQLiteSyntax.quote(column.name) + " " + SQLiteSyntax.declaredType(column.type)
        }
        let sequence = keyed ? "\(Self.seq) INTEGER NOT NULL" : "\(Self.seq) INTEGER PRIMARY KEY"
        let clustering = keyed ? ", PRIMARY KEY (\(SQLiteSyntax.list(key)), \(Self.seq))) WITHOUT ROWID" : ")"
        try db.execute(sql: "DROP TABLE IF EXISTS temp.\(Self.staging)")
        try db.execute(
            sql: """
                CREATE TEMP TABLE \(Self.staging) (\(sequence), \(Self.digest) BLOB NOT NULL,
                \(Self.line) INTEGER NOT NULL, \(Self.source) TEXT NOT NULL, \(Self.state) INTEGER NOT NULL,
                \(columns.joined(separator: ", "))\(clustering)
                """
        )
    }

    /// Drains the input into the staging table; returns the cursor metadata for the version.
    private func stage() throws -> [String: String] {
        let columns = plan.tableSchema.columnNames
        let inserter = try SQLiteRowInserter(
            db,
            sql: "INSERT INTO \(Self.staging) VALUES (?, ?, ?, ?, ?, \(SQLiteSyntax.placeholders(columns.count)))",
            columnCount: columns.count,
            firstColumnParameter: 6
        )
        var cursor = try CursorTracker(plan: plan, parent: parent)
        var sequence: Int64 = 0
        while let prepared = try channel.receive() {
            let batch = prepared.batch
            let values = batch.columns
            for row in 0..<batch.count {
                sequence += 1
                inserter.bind(sequence, parameter: 1)
                inserter.bind(prepared.digests[row], parameter: 2)
                inserter.bind(Int64(batch.origin(of: row).line), parameter: 3)
                inserter.bind(batch.source, parameter: 4)
                let below = cursor?.observe(row: row, of: batch) ?? false
                inserter.bind(Int64(below ? State.belowWatermark.rawValue : State.pending.rawValue), parameter: 5)
                inserter.bind(row: row, of: values)
                do {
                    try inserter.step()
                } catch {
                    throw SluiceError(.targetFailure, "table '\(plan.table)': staging failed: \(error.message)")
                }
            }
        }
        return cursor?.metadata ?? [:]
    }

    // MARK: Duplicates and classification

    /// Whether any key appears more than once in the input: one ordered pass over the staging table.
    private func inputHasDuplicateKeys() throws -> Bool {
        let keys = SQLiteSyntax.list(key)
        return try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM \(Self.staging) GROUP BY \(keys) HAVING count(*) > 1)"
        ) ?? false
    }

    /// Under insert-only, a key the input holds twice fails the load, naming both lines.
    private func failOnDuplicateKeys() throws {
        let keyList = SQLiteSyntax.list(key, prefix: "later")
        let sql = """
            SELECT later.\(Self.line), later.\(Self.source), first.\(Self.line), \(keyList)
            FROM \(Self.staging) AS later JOIN \(Self.staging) AS first
            ON \(SQLiteSyntax.equal(key, "first", "later")) AND first.\(Self.seq) < later.\(Self.seq)
            ORDER BY later.\(Self.seq), first.\(Self.seq) LIMIT 1
            """
        guard let row = try Row.fetchOne(db, sql: sql) else { return }
        let line: Int = row[0]
        let source: String = row[1]
        let firstLine: Int = row[2]
        let described = KeyText.describe(key) { column in
            KeyText.text(row[key.firstIndex(of: column)! + 3])
        }
        let place = (source.isEmpty ? "<input>" : source) + (line > 0 ? ":\(line)" : "")
        throw SluiceError(
            .invalidKey,
            "\(place): duplicate key \(described) in the input, first at line \(firstLine)"
        )
    }

    /// Deletes staged rows a later row with the same key supersedes (last wins); returns how many.
    private func removeSupersededRows() throws -> Int {
        try db.execute(
            sql: """
                DELETE FROM \(Self.staging) AS s WHERE EXISTS (SELECT 1 FROM \(Self.staging) AS later
                WHERE \(SQLiteSyntax.equal(key, "later", "s")) AND later.\(Self.seq) > s.\(Self.seq))
                """
        )
        return db.changesCount
    }

    /// Marks each pending staged row new, changed or unchanged against the table.
    private func classify() throws {
        let values = plan.tableSchema.columnNames.filter { !key.contains($0) }
        let match = SQLiteSyntax.equal(key, "t", "s")
        let unchanged =
            values.isEmpty
            ? "1"
            : "EXISTS (SELECT 1 FROM \(context.tableSQL) AS t WHERE \(match) AND "
                + "(\(SQLiteSyntax.list(values, prefix: "t"))) IS (\(SQLiteSyntax.list(values, prefix: "s"))))"
        try db.execute(
            sql: """
                UPDATE \(Self.staging) AS s SET \(Self.state) = CASE
                WHEN NOT EXISTS (SELECT 1 FROM \(context.tableSQL) AS t WHERE \(match)) THEN \(State.new.rawValue)
                WHEN \(unchanged) THEN \(State.unchanged.rawValue)
                ELSE \(State.changed.rawValue) END
                WHERE \(Self.state) = \(State.pending.rawValue)
                """
        )
    }

    private func stateCounts() throws -> [State: Int] {
        var counts: [State: Int] = [:]
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT \(Self.state), count(*) FROM \(Self.staging) GROUP BY \(Self.state)"
        )
        for row in rows {
            if let state = State(rawValue: row[0]) { counts[state] = row[1] }
        }
        return counts
    }

    private func conflictError(_ conflicts: Int) throws -> SluiceError {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT \(SQLiteSyntax.list(key)) FROM \(Self.staging)
                WHERE \(Self.state) IN (\(State.changed.rawValue), \(State.unchanged.rawValue))
                ORDER BY \(Self.seq) LIMIT 3
                """
        )
        let keys = rows.map { row in
            KeyText.describe(key) { column in KeyText.text(row[key.firstIndex(of: column)!]) }
        }
        let head = conflicts == 1 ? "1 key already exists" : "\(conflicts) keys already exist"
        return SluiceError(
            .keyConflict,
            "table '\(plan.table)': \(head), first: \(keys.joined(separator: ", "))"
        )
    }

    // MARK: Applying the difference

    private func apply(
        _ applied: [State],
        deletesMissing: Bool,
        counts: [State: Int],
        to change: inout TableChange
    ) throws {
        let schema = plan.tableSchema
        let columns = SQLiteSyntax.list(schema.columnNames)
        let match = SQLiteSyntax.equal(key, "t", "s")
        try recordHistory(applied, deletesMissing: deletesMissing, counts: counts)
        if applied.contains(.changed) && counts[.changed, default: 0] > 0 {
            change.delta.subtract(
                try digestRows(
                    "SELECT \(SQLiteSyntax.list(schema.columnNames, prefix: "t")) FROM \(Self.staging) AS s "
                        + "JOIN \(context.tableSQL) AS t ON \(match) WHERE s.\(Self.state) = \(State.changed.rawValue)"
                )
            )
        }
        if deletesMissing {
            let missing = "NOT EXISTS (SELECT 1 FROM \(Self.staging) AS s WHERE \(match))"
            change.delta.subtract(try digestRows("SELECT \(columns) FROM \(context.tableSQL) AS t WHERE \(missing)"))
            try db.execute(sql: "DELETE FROM \(context.tableSQL) AS t WHERE \(missing)")
            change.deleted = db.changesCount
        }
        let states = applied.map { String($0.rawValue) }.joined(separator: ", ")
        change.delta.add(try stagedDigests(states: states))
        let values = schema.columnNames.filter { !key.contains($0) }
        let newRows = applied.contains(.new) ? counts[.new, default: 0] : 0
        let changedRows = applied.contains(.changed) ? counts[.changed, default: 0] : 0
        if newRows > 0 && changedRows > 0 && schema.keyColumns == key && !values.isEmpty {
            // One pass in key order; the classification above makes the counts exact.
            let assignments = values.map { "\(SQLiteSyntax.quote($0)) = excluded.\(SQLiteSyntax.quote($0))" }
            try db.execute(
                sql: "INSERT INTO \(context.tableSQL) (\(columns)) SELECT \(columns) FROM \(Self.staging) "
                    + "WHERE \(Self.state) IN (\(State.new.rawValue), \(State.changed.rawValue)) "
                    + "ORDER BY \(SQLiteSyntax.list(key)) "
                    + "ON CONFLICT (\(SQLiteSyntax.list(key))) DO UPDATE SET \(assignments.joined(separator: ", "))"
            )
            guard db.changesCount == newRows + changedRows else {
                throw SluiceError(
                    .targetFailure,
                    "table '\(plan.table)': wrote \(db.changesCount) rows, expected \(newRows + changedRows)"
                )
            }
            change.inserted = newRows
            change.updated = changedRows
            return
        }
        if changedRows > 0 {
            let assignments = values.map { "\(SQLiteSyntax.quote($0)) = s.\(SQLiteSyntax.quote($0))" }
            try db.execute(
                sql: "UPDATE \(context.tableSQL) AS t SET \(assignments.joined(separator: ", ")) "
                    + "FROM \(Self.staging) AS s WHERE \(match) AND s.\(Self.state) = \(State.changed.rawValue)"
            )
            change.updated = db.changesCount
        }
        if newRows > 0 {
            try db.execute(
                sql: "INSERT INTO \(context.tableSQL) (\(columns)) SELECT \(columns) FROM \(Self.staging) "
                    + "WHERE \(Self.state) = \(State.new.rawValue) ORDER BY \(SQLiteSyntax.list(key))"
            )
            change.inserted = db.changesCount
        }
    }

    /// Records the before-images of the rows about to change, and the keys about to be inserted.
    private func recordHistory(_ applied: [State], deletesMissing: Bool, counts: [State: Int]) throws {
        guard let history else { return }
        let names = plan.tableSchema.columnNames
        let match = SQLiteSyntax.equal(key, "t", "s")
        if applied.contains(.changed) && counts[.changed, default: 0] > 0 {
            try history.record(
                .updated,
                columns: names,
                select:
                    "\(SQLiteSyntax.list(names, prefix: "t")) FROM \(Self.staging) AS s JOIN \(context.tableSQL) AS t "
                    + "ON \(match) WHERE s.\(Self.state) = \(State.changed.rawValue)"
            )
        }
        if deletesMissing {
            try history.record(
                .deleted,
                columns: names,
                select: "\(SQLiteSyntax.list(names, prefix: "t")) FROM \(context.tableSQL) AS t WHERE NOT EXISTS "
                    + "(SELECT 1 FROM \(Self.staging) AS s WHERE \(match))"
            )
        }
        if applied.contains(.new) && counts[.new, default: 0] > 0 {
            try history.record(
                .inserted,
                columns: key,
                select: "\(SQLiteSyntax.list(key)) FROM \(Self.staging) WHERE \(Self.state) = \(State.new.rawValue)"
            )
        }
    }

    /// The sum of the digests of the rows `sql` selects (the table's columns, in order).
    private func digestRows(_ sql: String) throws -> ContentChecksum {
        let digester = RowDigester(schema: plan.tableSchema)
        var sum = ContentChecksum.zero
        try SQLiteRowReader.forEachBatch(db, sql: sql, schema: plan.tableSchema, table: plan.table) { batch in
            sum.add(digester.checksum(of: batch))
        }
        return sum
    }

    /// The sum of the staged digests of rows in `states`.
    private func stagedDigests(states: String) throws -> ContentChecksum {
        let statement = try db.makeStatement(
            sql: "SELECT \(Self.digest) FROM \(Self.staging) WHERE \(Self.state) IN (\(states))"
        )
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        var sum = ContentChecksum.zero
        while sqlite3_step(handle) == SQLITE_ROW {
            let count = Int(sqlite3_column_bytes(handle, 0))
            guard let bytes = sqlite3_column_blob(handle, 0), count == 32 else { continue }
            sum.add(ContentChecksum(digestBytes: UnsafeRawBufferPointer(start: bytes, count: count)))
        }
        return sum
    }
}
