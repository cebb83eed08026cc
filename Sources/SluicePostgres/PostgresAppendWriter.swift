import PostgresNIO
import Sluice

/// `append`: every valid row goes straight into the table through one `COPY` — the fast path.
///
/// A rerun of input an earlier append already loaded (same input checksum) is undone and counted as skipped,
/// unless the request forces it — also into a keyed table, where the rerun's first row meets its own key.
struct PostgresAppendWriter {
    let connection: PostgresConnection
    let context: LoadContext
    let channel: ChunkChannel<CopyChunk, InputSummary>
    /// Where the appended keys (a keyless table: rows) go, when the load records history.
    let history: PostgresHistory?

    func write() async throws -> TableChange {
        var change = TableChange()
        let table = context.table
        let logger = context.logger
        // The primary key of a table this load creates is built after the data, in this transaction.
        if context.plan.createsTable { try await PostgresTuning.forIndexBuilds(connection, logger: logger) }
        // A savepoint, so that after a key conflict the transaction can still ask whether this is a rerun.
        let keyed = !context.plan.tableSchema.keyColumns.isEmpty && !context.request.force
        if keyed { try await connection.execute("SAVEPOINT sluice_append", logger: logger) }
        do {
            change.inserted = try await CopySender(connection: connection, channel: channel, logger: logger).copy(
                into: table,
                columns: context.plan.tableSchema.columnNames
            ) { error in
                guard error.code == .keyConflict else { return error }
                var error = error
                error.message += "; append adds rows without key checks (use upsert or insert-only for a keyed table)"
                return error
            }
        } catch let error as SluiceError where keyed && error.code == .keyConflict {
            // The whole input may be a rerun of an earlier append: read the rest (unsent) to learn its checksum.
            try await connection.execute("ROLLBACK TO SAVEPOINT sluice_append", logger: logger)
            while try await channel.receive() != nil {}
            guard let summary = channel.summary,
                try await PostgresCatalog.hasAppend(
                    connection,
                    of: table,
                    inputChecksum: summary.inputChecksum.hex,
                    logger: logger
                )
            else { throw error }
            change.isRerun = true
            return change
        }
        guard let summary = channel.summary else { return change }
        change.delta = summary.inputChecksum
        if let history, change.inserted > 0 {
            // The rows this transaction wrote (its savepoint's too, whose ids follow the transaction's own).
            let schema = context.plan.tableSchema
            let recorded = schema.keyColumns.isEmpty ? schema.columnNames : schema.keyColumns
            try await history.record(
                .inserted,
                columns: recorded,
                select: "\(PostgresSyntax.list(recorded)) FROM \(context.tableSQL) "
                    + "WHERE age(xmin) <= age(pg_current_xact_id()::xid)"
            )
        }
        if !context.request.force, change.inserted > 0,
            try await PostgresCatalog.hasAppend(
                connection,
                of: table,
                inputChecksum: summary.inputChecksum.hex,
                logger: context.logger
            )
        {
            change.isRerun = true
        }
        return change
    }
}
