import PostgresNIO
import Sluice

/// `append`: every valid row goes straight into the table through one `COPY` — the fast path.
///
/// A rerun of input an earlier append already loaded (same input checksum) is undone and counted as skipped,
/// unless the request forces it.
struct PostgresAppendWriter {
    let connection: PostgresConnection
    let context: LoadContext
    let channel: ChunkChannel<CopyChunk, InputSummary>

    func write() async throws -> TableChange {
        var change = TableChange()
        let table = context.table
        change.inserted = try await CopySender(connection: connection, channel: channel, logger: context.logger).copy(
            into: table,
            columns: context.plan.tableSchema.columnNames
        ) { error in
            guard error.code == .keyConflict else { return error }
            var error = error
            error.message += "; append adds rows without key checks (use upsert or insert-only for a keyed table)"
            return error
        }
        guard let summary = channel.summary else { return change }
        change.delta = summary.inputChecksum
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
