import Logging
import NIOCore
import PostgresNIO
import Sluice
import Synchronization

/// A piece of COPY text ready to send, with where its rows came from (to name the source line of a row the
/// server rejects).
struct CopyChunk: Sendable {
    /// The encoded rows.
    var buffer: ByteBuffer
    /// The 0-based number of the chunk's first row in the whole COPY stream.
    var firstRow: Int
    /// The origin of each row.
    var origins: [RecordOrigin]
}

/// What the input side of a load hands the writer at the end.
struct InputSummary: Sendable {
    var metrics: LoadingMetrics
    var inputChecksum: ContentChecksum
    /// The cursor column and new watermark, under incremental loads with a cursor.
    var cursorMetadata: [String: String]
    /// The names of the sources, indexed by the source numbers of staged rows.
    var sources: [String] = []
    /// Rows at or below the cursor watermark, counted and not sent.
    var belowWatermark = 0
    /// Staged rows whose key may repeat an earlier staged row's; with none, the input has no duplicate keys.
    var possibleRepeats = 0
    /// Rows whose row hash equals the one recorded for their key, counted and not sent.
    var unchangedByHash = 0
}

/// What the writer did, once committed (or rolled back when nothing changed).
struct WriteOutcome: Sendable {
    var metrics: LoadingMetrics
    var version: DataVersion?
    var checksum: ContentChecksum
    var currentVersionID: String?
}

/// Everything a load's transaction needs besides the connection and the chunks.
struct LoadContext: Sendable {
    var plan: LoadPlan
    var request: LoadRequest
    var source: String
    var target: String
    var parent: DataVersion?
    var retries: Int
    var started: ContinuousClock.Instant
    var logger: Logger
    /// Whether this load keeps the table's row hashes (incremental without a cursor), and whether the hashes it
    /// had were the parent's (so only changed rows were staged).
    var rowHashes = RowHashUse.none

    var table: String { plan.table }
    /// The table's name as SQL: `"prices"` (found on the search path).
    var tableSQL: String { PostgresSyntax.quote(plan.table) }
}

/// What a load does with the table's row hashes (``PostgresRowHashes``).
enum RowHashUse: Sendable, Equatable {
    /// Nothing: not an incremental load without a cursor.
    case none
    /// Every input row was staged; its hashes replace the recorded ones.
    case recordAll
    /// Only rows whose hash changed were staged; their hashes update the parent's.
    case recordChanges
}

extension PostgresLoader {
    public func validate(schema: Schema, request: LoadRequest) async throws {
        try PostgresIdentifier.check(table: request.table, schema: schema)
        let logger = self.logger
        let existing = try await withConnection { connection in
            try await PostgresCatalog.schema(connection, of: request.table, logger: logger)
        }
        let plan = try LoadPlan.make(input: schema, request: request, existing: existing)
        try request.checkIndexes(against: plan.tableSchema)
        try request.partitioning?.check(plan.tableSchema, table: request.table)
    }

    /// Loads `input` in one transaction: `COPY` into the table (append) or into a temporary staging table and
    /// set-based SQL (the keyed strategies), then the version row, then `COMMIT`.
    ///
    /// Loads of one table run one at a time, in this process or any other: a load takes a session-level advisory
    /// lock on the table's name before it reads the table's schema and latest version, and keeps it until it has
    /// committed, so a second load plans against the first one's result.
    ///
    /// Reading, validating and encoding the input run in a child task, a few chunks ahead of the connection.
    /// Transient failures (connection refused or reset, serialization failure, deadlock, admin shutdown) are retried
    /// with `request.retry` only while no input chunk has been sent: a ``Sluice/RecordStream`` can be read once, so
    /// a failure after the first chunk fails the load (which is rolled back and can be rerun).
    ///
    /// A table or column name over 63 bytes is refused before anything is read or written (see
    /// ``PostgresIdentifier``).
    public func load(_ input: RecordStream, request: LoadRequest) async throws -> LoadResult {
        try PostgresIdentifier.check(table: request.table, schema: input.schema)
        let started = ContinuousClock.now
        let logger = self.logger
        let inputStarted = Atomic<Bool>(false)
        let retries = Atomic<Int>(0)
        return try await request.retry.run(
            isTransient: { PostgresFailure.isTransient($0) && !inputStarted.load(ordering: .relaxed) },
            onRetry: { attempt, error in
                retries.store(attempt, ordering: .relaxed)
                logger.debug("retrying", metadata: ["table": "\(request.table)", "error": "\(error)"])
            },
            {
                try await withConnection { connection in
                    try await PostgresLoadLock.holding(connection, table: request.table, logger: logger) {
                        try await load(
                            input,
                            request: request,
                            on: connection,
                            started: started,
                            retries: retries.load(ordering: .relaxed),
                            inputStarted: inputStarted
                        )
                    }
                }
            }
        )
    }

    /// The load, on `connection`, which holds the table's load lock.
    private func load(
        _ input: RecordStream,
        request: LoadRequest,
        on connection: PostgresConnection,
        started: ContinuousClock.Instant,
        retries: Int,
        inputStarted: borrowing Atomic<Bool>
    ) async throws -> LoadResult {
        let logger = self.logger
        let existing = try await PostgresCatalog.schema(connection, of: request.table, logger: logger)
        let parent = try await PostgresCatalog.latestVersion(connection, of: request.table, logger: logger)
        let plan = try LoadPlan.make(input: input.schema, request: request, existing: existing)
        let rowHashUse: RowHashUse
        var rowHashes: RowHashMap?
        if request.strategy == .incremental && request.cursorColumn == nil && !plan.keyColumns.isEmpty {
            if let parent, !request.deleteMissing {
                rowHashes = try await PostgresRowHashes.load(
                    connection,
                    table: request.table,
                    version: parent.id,
                    logger: logger
                )
            }
            rowHashUse = rowHashes == nil ? .recordAll : .recordChanges
        } else {
            rowHashUse = .none
        }
        let channel = ChunkChannel<CopyChunk, InputSummary>(capacity: configuration.pipelineDepth)
        var producer = InputEncoder(
            plan: plan,
            request: request,
            parent: parent,
            staged: request.strategy != .append,
            chunkBytes: configuration.chunkBytes
        )
        producer.recordsRowHashes = rowHashUse != .none
        producer.rowHashes = rowHashes
        producer.readAhead = configuration.readAhead
        let encoder = producer
        let context = LoadContext(
            plan: plan,
            request: request,
            source: request.source ?? input.source,
            target: target,
            parent: parent,
            retries: retries,
            started: started,
            logger: logger,
            rowHashes: rowHashUse
        )
        let outcome = try await withThrowingTaskGroup(of: Void.self) { group in
            inputStarted.store(true, ordering: .relaxed)
            group.addTask { await encoder.run(input, into: channel) }
            do {
                let outcome = try await write(channel, context: context, first: connection)
                try await group.waitForAll()
                return outcome
            } catch {
                channel.close()
                group.cancelAll()
                throw error
            }
        }
        return LoadResult.completed(
            target: target,
            table: request.table,
            strategy: request.strategy,
            version: outcome.version,
            currentVersionID: outcome.currentVersionID,
            checksum: outcome.checksum,
            metrics: outcome.metrics,
            started: started,
            logger: logger
        )
    }

    /// The writer: one transaction on `first` (the connection holding the load lock), retried while no input chunk
    /// has been sent — on `first` again while it is open, else on a new connection (the transaction's own lock and
    /// its check that the table did not change since planning then stand in for the load lock).
    private func write(
        _ channel: ChunkChannel<CopyChunk, InputSummary>,
        context: LoadContext,
        first: PostgresConnection
    ) async throws
        -> WriteOutcome
    {
        var retries = 0
        return try await context.request.retry.run(
            isTransient: { PostgresFailure.isTransient($0) && !channel.hasDelivered },
            onRetry: { attempt, error in
                retries = attempt
                context.logger.debug("retrying", metadata: ["table": "\(context.table)", "error": "\(error)"])
            },
            {
                var context = context
                context.retries += retries
                do {
                    if !first.isClosed {
                        return try await PostgresLoadTransaction(connection: first, context: context, channel: channel)
                            .run()
                    }
                    return try await client.withConnection { connection in
                        try await PostgresLoadTransaction(connection: connection, context: context, channel: channel)
                            .run()
                    }
                } catch {
                    throw await mapped(error)
                }
            }
        )
    }

}
