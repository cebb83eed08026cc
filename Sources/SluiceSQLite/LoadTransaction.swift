import Foundation
import GRDB
import Sluice

/// One load: `BEGIN IMMEDIATE`, create or widen the table, run the strategy, record the version, `COMMIT` — or
/// `ROLLBACK` on any error, or when nothing changed.
struct LoadTransaction {
    let db: Database
    let context: LoadContext
    let channel: PreparedInput.Channel

    var plan: LoadPlan { context.plan }

    func run() throws -> WriteOutcome {
        var began = false
        var outcome: WriteOutcome?
        do {
            try db.inTransaction(.immediate) {
                began = true
                let result = try body()
                outcome = result
                return result.version == nil ? .rollback : .commit
            }
        } catch let error as DatabaseError
            where !began && (error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED)
        {
            throw SluiceError(
                .transient,
                "table '\(plan.table)': the database is locked by another writer",
                underlying: error
            )
        }
        guard let outcome else { throw SluiceError(.targetFailure, "table '\(plan.table)': the load did not run") }
        if outcome.version == nil && !context.request.indexes.isEmpty {
            // Nothing changed and the load was rolled back: the requested indexes still get made.
            try db.inTransaction(.immediate) {
                if try SQLiteCatalog.tableExists(db, plan.table) { try createIndexes() }
                return .commit
            }
        }
        return outcome
    }

    private func body() throws -> WriteOutcome {
        try SQLiteCatalog.create(db)
        guard try SQLiteCatalog.schema(db, of: plan.table) == plan.existingSchema else {
            throw SluiceError(
                .targetFailure,
                "table '\(plan.table)' changed while the load was being planned; run it again"
            )
        }
        let parent = try SQLiteCatalog.latestVersion(db, of: plan.table)
        try context.request.checkExpectedLatest(parent)
        try context.request.checkIndexes(against: plan.tableSchema)
        try shapeTable()
        // A table this load creates has no earlier version to go back to: its first load records no history.
        let history =
            context.request.recordsHistory && !plan.createsTable
            ? SQLiteHistory(db: db, table: plan.table, schema: plan.tableSchema) : nil
        try history?.prepare()
        var change = try runStrategy(parent: parent, history: history)
        if history != nil { change.metadata[SQLiteHistory.marker] = "recorded" }
        if plan.isChanged(by: change) { try createIndexes() }
        guard let summary = channel.summary else {
            throw SluiceError(.targetFailure, "table '\(plan.table)': the input ended without a summary")
        }
        let changed = plan.isChanged(by: change)
        change = change.settled(validRows: summary.metrics.recordsProcessed - summary.metrics.recordsFailed)
        var metrics = summary.metrics.recording(change, retries: context.retries)
        let parentMatches = parent.map { Self.sameColumns($0.schema, plan.tableSchema) } ?? plan.createsTable
        guard changed else {
            let checksum: ContentChecksum
            if let parent, parentMatches, let parentChecksum = ContentChecksum(hex: parent.checksum) {
                checksum = parentChecksum
            } else {
                checksum = try TableScan.checksum(db, table: plan.table, schema: plan.tableSchema).checksum
            }
            return WriteOutcome(metrics: metrics, version: nil, checksum: checksum, currentVersionID: parent?.id)
        }
        let (checksum, recordCount) = try contentAfterLoad(change, parent: parent, parentMatches: parentMatches)
        metrics.durationSeconds = context.started.secondsElapsed
        let version = DataVersion(
            recording: plan,
            request: context.request,
            source: context.source,
            recordCount: recordCount,
            checksum: checksum,
            inputChecksum: summary.inputChecksum,
            parent: parent,
            metrics: metrics,
            metadata: change.metadata,
            id: history?.versionID ?? UUIDv7.make()
        )
        try SQLiteCatalog.insert(db, version: version)
        try history?.prune()
        return WriteOutcome(metrics: metrics, version: version, checksum: checksum, currentVersionID: version.id)
    }

    /// The table's checksum and row count after the load: the parent's plus the change, or a full scan when the
    /// parent is missing or was taken over other columns.
    private func contentAfterLoad(
        _ change: TableChange,
        parent: DataVersion?,
        parentMatches: Bool
    ) throws
        -> (ContentChecksum, Int)
    {
        if plan.createsTable {
            return (change.absolute ?? change.delta, change.inserted)
        }
        guard let parent, parentMatches, let parentChecksum = ContentChecksum(hex: parent.checksum) else {
            let scan = try TableScan.checksum(db, table: plan.table, schema: plan.tableSchema)
            return (scan.checksum, scan.rowCount)
        }
        let count = parent.recordCount + change.inserted - change.deleted
        return (change.absolute ?? parentChecksum + change.delta, count)
    }

    private func runStrategy(parent: DataVersion?, history: SQLiteHistory?) throws -> TableChange {
        switch context.request.strategy {
        case .append:
            return try AppendWriter(db: db, context: context, channel: channel, history: history).write()
        case .replace where plan.keyColumns.isEmpty:
            return try StagedWriter(db: db, context: context, channel: channel, parent: parent, history: history)
                .replaceAll()
        default:
            return try StagedWriter(db: db, context: context, channel: channel, parent: parent, history: history)
                .write()
        }
    }

    /// Creates the table, or adds the input's new columns (nullable), and records its schema.
    private func shapeTable() throws {
        let schema = plan.tableSchema
        if plan.createsTable {
            var definitions = schema.columns.map(SQLiteSyntax.columnDefinition)
            if !schema.keyColumns.isEmpty {
                definitions.append("PRIMARY KEY (\(SQLiteSyntax.list(schema.keyColumns)))")
            }
            let options = !schema.keyColumns.isEmpty && context.configuration.withoutRowID ? " WITHOUT ROWID" : ""
            try db.execute(sql: "CREATE TABLE \(context.tableSQL) (\(definitions.joined(separator: ", ")))\(options)")
        } else {
            for column in plan.addedColumns {
                try db.execute(
                    sql: "ALTER TABLE \(context.tableSQL) ADD COLUMN \(SQLiteSyntax.columnDefinition(column))"
                )
            }
        }
        try SQLiteCatalog.save(db, schema: schema, of: plan.table, at: .now)
    }

    /// The request's secondary indexes, after the data: `CREATE INDEX IF NOT EXISTS "prices_date_idx" ON "prices"
    /// ("date")`, named after the table and the columns so that a rerun adds nothing.
    private func createIndexes() throws {
        for columns in context.request.indexes {
            let name = SQLiteSyntax.quote(([plan.table] + columns).joined(separator: "_") + "_idx")
            try db.execute(
                sql: "CREATE INDEX IF NOT EXISTS main.\(name) ON \(SQLiteSyntax.quote(plan.table)) "
                    + "(\(SQLiteSyntax.list(columns)))"
            )
        }
    }

    static func sameColumns(_ left: Schema, _ right: Schema) -> Bool {
        left.columns.map { [$0.name, $0.type.name] } == right.columns.map { [$0.name, $0.type.name] }
    }
}

/// Reads a whole table to recompute its content checksum.
enum TableScan {
    /// The sum of the row digests of `table` (over `schema`) and its row count.
    static func checksum(
        _ db: Database,
        table: String,
        schema: Schema
    ) throws -> (checksum: ContentChecksum, rowCount: Int) {
        let digester = RowDigester(schema: schema)
        var checksum = ContentChecksum.zero
        var count = 0
        let sql = "SELECT \(SQLiteSyntax.list(schema.columnNames)) FROM main.\(SQLiteSyntax.quote(table))"
        try SQLiteRowReader.forEachBatch(db, sql: sql, schema: schema, table: table) { batch in
            checksum.add(digester.checksum(of: batch))
            count += batch.count
        }
        return (checksum, count)
    }
}
