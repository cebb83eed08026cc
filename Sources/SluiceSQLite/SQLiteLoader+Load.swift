import GRDB
import Logging
import Sluice

/// What the writer did, once committed (or rolled back when nothing changed).
struct WriteOutcome: Sendable {
    var metrics: LoadingMetrics
    var version: DataVersion?
    var checksum: ContentChecksum
    var currentVersionID: String?
}

extension SQLiteLoader {
    public func validate(schema: Schema, request: LoadRequest) async throws {
        try Self.refusePartitioning(request)
        let table = request.table
        let existing = try await reading { db in try SQLiteCatalog.schema(db, of: table) }
        let plan = try LoadPlan.make(
            input: schema,
            request: request,
            existing: existing,
            reservedPrefixes: SQLiteSyntax.reservedPrefixes
        )
        try request.checkIndexes(against: plan.tableSchema)
    }

    /// SQLite has no partitions: a request that asks for them fails before anything is read.
    static func refusePartitioning(_ request: LoadRequest) throws {
        guard let partitioning = request.partitioning else { return }
        throw SluiceError(
            .invalidRequest,
            "partitioning by \(partitioning) is not supported by this target: SQLite has no partitions "
                + "(use a PostgreSQL target, or load without --partition-by)"
        )
    }

    public func load(_ input: RecordStream, request: LoadRequest) async throws -> LoadResult {
        try Self.refusePartitioning(request)
        let started = ContinuousClock.now
        let table = request.table
        let existing = try await reading { db in try SQLiteCatalog.schema(db, of: table) }
        let plan = try LoadPlan.make(
            input: input.schema,
            request: request,
            existing: existing,
            reservedPrefixes: SQLiteSyntax.reservedPrefixes
        )
        let outcome = try await PreparedInput.run(
            input,
            schema: plan.preparerSchema,
            request: request,
            capacity: configuration.pipelineDepth
        ) { channel in
            try await write(channel, plan: plan, request: request, source: input.source, started: started)
        }
        return LoadResult.completed(
            target: target,
            table: table,
            strategy: request.strategy,
            version: outcome.version,
            currentVersionID: outcome.currentVersionID,
            checksum: outcome.checksum,
            metrics: outcome.metrics,
            started: started,
            logger: logger
        )
    }

    /// The writer: one `BEGIN IMMEDIATE … COMMIT` on the database's thread, retried while the database is busy.
    private func write(
        _ channel: PreparedInput.Channel,
        plan: LoadPlan,
        request: LoadRequest,
        source: String,
        started: ContinuousClock.Instant
    ) async throws -> WriteOutcome {
        var retries = 0
        let configuration = self.configuration
        do {
            return try await request.retry.run(
                onRetry: { attempt, _ in retries = attempt },
                {
                    let context = LoadContext(
                        plan: plan,
                        request: request,
                        source: request.source ?? source,
                        configuration: configuration,
                        retries: retries,
                        started: started
                    )
                    return try await database.writeWithoutTransaction { db in
                        try LoadTransaction(db: db, context: context, channel: channel).run()
                    }
                }
            )
        } catch {
            throw mapped(error)
        }
    }

}

/// Everything a load's transaction needs besides the database and the batches.
struct LoadContext: Sendable {
    var plan: LoadPlan
    var request: LoadRequest
    var source: String
    var configuration: SQLiteLoader.Configuration
    var retries: Int
    var started: ContinuousClock.Instant

    var table: String { plan.table }
    /// The table's name as SQL: `main."prices"`.
    var tableSQL: String { "main." + SQLiteSyntax.quote(plan.table) }
}
