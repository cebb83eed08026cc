import Foundation
import Logging
import PostgresNIO
import Sluice

/// One load: `BEGIN`, a transaction-scoped advisory lock on the table (loads of one table run one at a time),
/// create or widen the table, run the strategy, record the version, `COMMIT` — or `ROLLBACK` on any error, or when
/// nothing changed.
struct PostgresLoadTransaction {
    let connection: PostgresConnection
    let context: LoadContext
    let channel: ChunkChannel<CopyChunk, InputSummary>

    var plan: LoadPlan { context.plan }
    var logger: Logger { context.logger }

    func run() async throws -> WriteOutcome {
        try await connection.execute("BEGIN", logger: logger)
        do {
            let outcome = try await body()
            try await connection.execute(outcome.version == nil ? "ROLLBACK" : "COMMIT", logger: logger)
            if outcome.version == nil && !context.request.indexes.isEmpty { try await createIndexesAlone() }
            return outcome
        } catch {
            // A connection that died (mid-COPY, say) is not asked anything more: postgres-nio never answers a query
            // on a connection whose COPY failed that way, and the server rolled the transaction back anyway.
            if !connection.isClosed { try? await connection.execute("ROLLBACK", logger: logger) }
            throw error
        }
    }

    private func body() async throws -> WriteOutcome {
        try await connection.lockForTransaction(PostgresLockKey.table(plan.table), logger: logger)
        if try await !PostgresCatalog.exists(connection, "_sluice_versions", logger: logger) {
            try await connection.lockForTransaction(PostgresLockKey.catalog, logger: logger)
            try await PostgresCatalog.create(connection, logger: logger)
        }
        let current = try await PostgresCatalog.schema(connection, of: plan.table, logger: logger)
        let parent = try await PostgresCatalog.latestVersion(connection, of: plan.table, logger: logger)
        guard current == plan.existingSchema, parent?.id == context.parent?.id else {
            throw SluiceError(
                .targetFailure,
                "table '\(plan.table)' changed while the load was being planned; run it again"
            )
        }
        try context.request.checkExpectedLatest(parent)
        let partitioning = try await PostgresPartitions.resolve(
            connection,
            plan: plan,
            requested: context.request.partitioning,
            logger: logger
        )
        try context.request.checkIndexes(against: plan.tableSchema)
        let buildsKeyAfterData = plan.createsTable && context.request.strategy == .append
        try await shapeTable(withKey: !buildsKeyAfterData, partitioning: partitioning)
        let partitions = partitioning.map { partitioning in
            PostgresPartitions(
                connection: connection,
                table: plan.table,
                partitioning: partitioning,
                schema: plan.tableSchema,
                logger: logger
            )
        }
        try await partitions?.prepare()
        // A table this load creates has no earlier version to go back to: its first load records no history.
        var history =
            context.request.recordsHistory && !plan.createsTable
            ? PostgresHistory(connection: connection, table: plan.table, schema: plan.tableSchema, logger: logger) : nil
        history?.returnsXmax = partitioning == nil
        try await history?.prepare()
        var change = try await runStrategy(parent: parent, partitioning: partitioning, history: history)
        let changed = plan.isChanged(by: change)
        if changed { try await finishTable(partitions: partitions, addingKey: buildsKeyAfterData) }
        guard let summary = channel.summary else {
            throw SluiceError(.targetFailure, "table '\(plan.table)': the input ended without a summary")
        }
        change = change.settled(validRows: summary.metrics.recordsProcessed - summary.metrics.recordsFailed)
        var metrics = summary.metrics.recording(change, retries: context.retries)
        let parentMatches = parent.map { Self.sameColumns($0.schema, plan.tableSchema) } ?? plan.createsTable
        guard changed else {
            let checksum: ContentChecksum
            if let parent, parentMatches, let parentChecksum = ContentChecksum(hex: parent.checksum) {
                checksum = parentChecksum
            } else {
                checksum = try await scan().checksum
            }
            return WriteOutcome(metrics: metrics, version: nil, checksum: checksum, currentVersionID: parent?.id)
        }
        let (checksum, recordCount) = try await contentAfterLoad(change, parent: parent, parentMatches: parentMatches)
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
            metadata: summary.cursorMetadata.merging(history == nil ? [:] : [PostgresHistory.marker: "recorded"]) {
                _,
                marker in marker
            },
            id: history?.versionID ?? UUIDv7.make()
        )
        try await PostgresCatalog.insert(connection, version: version, logger: logger)
        try await history?.prune()
        if context.rowHashes != .none {
            try await PostgresRowHashes.record(
                connection,
                table: plan.table,
                version: version.id,
                staging: PostgresStagedWriter.staging,
                replacing: context.rowHashes == .recordAll,
                logger: logger
            )
        }
        return WriteOutcome(metrics: metrics, version: version, checksum: checksum, currentVersionID: version.id)
    }

    private func scan() async throws -> (checksum: ContentChecksum, rowCount: Int) {
        try await PostgresRowReader.tableChecksum(
            connection,
            table: plan.table,
            schema: plan.tableSchema,
            logger: logger
        )
    }

    /// The table's checksum and row count after the load: the parent's plus the change, or a full scan when the
    /// parent is missing or was taken over other columns.
    private func contentAfterLoad(
        _ change: TableChange,
        parent: DataVersion?,
        parentMatches: Bool
    ) async throws -> (ContentChecksum, Int) {
        if plan.createsTable {
            return (change.absolute ?? change.delta, change.inserted)
        }
        guard let parent, parentMatches, let parentChecksum = ContentChecksum(hex: parent.checksum) else {
            let scan = try await scan()
            return (scan.checksum, scan.rowCount)
        }
        let count = parent.recordCount + change.inserted - change.deleted
        return (change.absolute ?? parentChecksum + change.delta, count)
    }

    /// After the rows: moves rows of new ranges into their partitions, builds the primary key of a table this append
    /// created, and creates the requested indexes (all after the data, so none is maintained row by row).
    private func finishTable(partitions: PostgresPartitions?, addingKey: Bool) async throws {
        try await partitions?.distribute(sources: channel.summary?.sources ?? [])
        if addingKey && !plan.tableSchema.keyColumns.isEmpty {
            try await addPrimaryKey()
        }
        try await PostgresIndexes.create(
            connection,
            table: plan.table,
            indexes: context.request.indexes,
            logger: logger
        )
    }

    /// After a load that changed nothing (and was rolled back): the requested indexes, in a transaction of their
    /// own, so that `--index` on a rerun still adds a missing index.
    private func createIndexesAlone() async throws {
        try await connection.execute("BEGIN", logger: logger)
        do {
            try await connection.lockForTransaction(PostgresLockKey.table(plan.table), logger: logger)
            if try await PostgresCatalog.exists(connection, plan.table, logger: logger) {
                try await PostgresIndexes.create(
                    connection,
                    table: plan.table,
                    indexes: context.request.indexes,
                    logger: logger
                )
            }
            try await connection.execute("COMMIT", logger: logger)
        } catch {
            // A connection that died (mid-COPY, say) is not asked anything more: postgres-nio never answers a query
            // on a connection whose COPY failed that way, and the server rolled the transaction back anyway.
            if !connection.isClosed { try? await connection.execute("ROLLBACK", logger: logger) }
            throw error
        }
    }

    private func runStrategy(
        parent: DataVersion?,
        partitioning: Partitioning?,
        history: PostgresHistory?
    ) async throws -> TableChange {
        do {
            return try await runStrategy(parent: parent, history: history)
        } catch let error as SluiceError where partitioning != nil {
            guard let partitioning else { throw error }
            throw PostgresPartitions.describing(error, table: plan.table, partitioning: partitioning)
        }
    }

    private func runStrategy(parent: DataVersion?, history: PostgresHistory?) async throws -> TableChange {
        switch context.request.strategy {
        case .append:
            return try await PostgresAppendWriter(
                connection: connection,
                context: context,
                channel: channel,
                history: history
            ).write()
        case .replace where plan.keyColumns.isEmpty:
            return try await PostgresStagedWriter(
                connection: connection,
                context: context,
                channel: channel,
                history: history
            ).replaceAll()
        default:
            return try await PostgresStagedWriter(
                connection: connection,
                context: context,
                channel: channel,
                history: history
            ).write()
        }
    }

    /// Creates the table (with its primary key unless it is built after the data, partitioned when the load asks),
    /// or adds the input's new columns (nullable), and records its schema.
    ///
    /// A partitioned table's partition column is declared `NOT NULL` (range partitions hold no NULL), and the
    /// partitioning is recorded in the catalog.
    private func shapeTable(withKey: Bool, partitioning: Partitioning?) async throws {
        let schema = plan.tableSchema
        if plan.createsTable {
            var definitions = schema.columns.map { column in
                var column = column
                if column.name == partitioning?.column { column.isNullable = false }
                return PostgresSyntax.columnDefinition(column)
            }
            if withKey && !schema.keyColumns.isEmpty {
                definitions.append(primaryKeyClause)
            }
            let partitionClause = partitioning.map { " " + PostgresPartitions.clause($0) } ?? ""
            try await connection.execute(
                "CREATE TABLE \(context.tableSQL) (\(definitions.joined(separator: ", ")))\(partitionClause)",
                logger: logger
            )
        } else {
            for column in plan.addedColumns {
                try await connection.execute(
                    "ALTER TABLE \(context.tableSQL) ADD COLUMN \(PostgresSyntax.columnDefinition(column))",
                    logger: logger
                )
            }
        }
        try await PostgresCatalog.save(connection, schema: schema, of: plan.table, logger: logger)
        if let partitioning, plan.createsTable || context.request.partitioning != nil {
            try await PostgresCatalog.save(connection, partitioning: partitioning, of: plan.table, logger: logger)
        }
    }

    /// The table's primary key clause (``PostgresIdentifier/primaryKeyClause(of:columns:)``).
    private var primaryKeyClause: String {
        PostgresIdentifier.primaryKeyClause(of: plan.table, columns: plan.tableSchema.keyColumns)
    }

    /// Builds the primary key of a table created by this load, after its data (faster than maintaining it).
    private func addPrimaryKey() async throws {
        do {
            try await connection.execute(
                "ALTER TABLE \(context.tableSQL) ADD \(primaryKeyClause)",
                logger: logger
            )
        } catch let error as PSQLError where PostgresFailure.sqlState(error) == "23505" {
            let detail = error.serverInfo?[.detail].map { " (\($0))" } ?? ""
            throw SluiceError(
                .keyConflict,
                "table '\(plan.table)': the input holds a key more than once\(detail); append adds rows without key "
                    + "checks (use upsert or insert-only for a keyed table)"
            )
        }
    }

    static func sameColumns(_ left: Schema, _ right: Schema) -> Bool {
        left.columns.map { [$0.name, $0.type.name] } == right.columns.map { [$0.name, $0.type.name] }
    }
}
