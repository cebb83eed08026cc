import Foundation
import Logging
import RESP
import Sluice

extension RedisLoader {
    public func load(_ input: RecordStream, request: LoadRequest) async throws -> LoadResult {
        let started = ContinuousClock.now
        try Self.refuseUnsupported(request)
        let lock = try await lockTable(request.table)
        do {
            let result = try await lock.holding {
                try await loadLocked(input, request: request, lock: lock, started: started)
            }
            await lock.release()
            return result
        } catch {
            await lock.release()
            throw Self.explain(error, table: request.table)
        }
    }

    private func loadLocked(
        _ input: RecordStream,
        request: LoadRequest,
        lock: CacheTableLock,
        started: ContinuousClock.Instant
    ) async throws -> LoadResult {
        let table = request.table
        let parent = try await latestVersion(table)
        try request.checkExpectedLatest(parent)
        let plan = try LoadPlan.make(input: input.schema, request: request, existing: parent?.schema)
        let server = self.server
        if parent == nil { try await refuseUnescapedLeftover(table) }
        let recorded = try await state(of: parent, table: table)
        let layout = try CacheTableLayout.resolve(target: options, plan: plan, parent: parent)
            .upgradingKeyEncoding(
                state: recorded,
                namespace: options.namespace,
                table: table,
                keyColumns: plan.keyColumns
            )
        try await CacheKeyPrefixes(server: server).register(
            CacheKeyPrefixes.claim(of: layout, namespace: options.namespace, table: table),
            owner: CacheKeyPrefixes.Owner(namespace: options.namespace, table: table),
            template: layout.template
        )
        let (state, repair, mark) = try await repairAndMark(
            table: table,
            plan: plan,
            parent: parent,
            layout: layout,
            state: recorded,
            lock: lock
        )
        let versionsKey = keys(table).versions
        let context = CacheLoadContext(
            server: server,
            target: options,
            request: request,
            plan: plan,
            parent: parent,
            state: state,
            layout: layout,
            renderer: layout.renderer(
                namespace: options.namespace,
                table: table,
                schema: plan.tableSchema,
                keyColumns: plan.keyColumns
            ),
            encoder: try CacheValueEncoder(
                format: layout.format,
                schema: plan.tableSchema,
                keyColumns: plan.keyColumns,
                table: table
            ),
            logger: logger,
            lock: lock,
            mark: mark,
            isRerun: { checksum in
                guard !request.force, parent != nil else { return false }
                let reply = try await server.send(RESPCommand("LRANGE", .string(versionsKey), 0, -1))
                return try (reply.elements ?? []).contains { element in
                    let version = try Self.decodeVersion(element, table: table)
                    return version.strategy == .append && version.inputChecksum == checksum.hex
                }
            }
        )
        var change: TableChange
        var newState: CacheTableState
        var summary: PreparedInputSummary
        var retries: Int
        if layout.isStream {
            var writer = CacheStreamWriter(context: context)
            (change, newState, summary) = try await writer.run(input)
            retries = writer.retries
        } else {
            var writer = CacheLoadWriter(context: context)
            do {
                (change, newState, summary) = try await writer.run(input)
            } catch {
                // A load that took back all it wrote, on a table no repair changed, leaves no mark behind.
                if writer.leftNothing, mark != nil, repair?.changesState != true {
                    try? await CacheLoadMark.clear(keys(table), server: server)
                }
                throw error
            }
            retries = writer.retries
        }
        if let repair { change.metadata["repaired"] = repair.description }
        let changed = plan.isChanged(by: change) || repair?.changesState == true
        change = change.settled(validRows: summary.metrics.recordsProcessed - summary.metrics.recordsFailed)
        let metrics = summary.metrics.recording(change, retries: retries)
        let notes = repair.map { ["repaired the table " + $0.description] } ?? []
        guard changed else {
            if mark != nil { try await CacheLoadMark.clear(keys(table), server: server) }
            return LoadResult.completed(
                target: target,
                table: table,
                strategy: request.strategy,
                version: nil,
                currentVersionID: parent?.id,
                checksum: parent.flatMap { ContentChecksum(hex: $0.checksum) } ?? .zero,
                metrics: metrics,
                started: started,
                logger: logger,
                notes: notes
            )
        }
        guard try await lock.isHeld() else {
            throw SluiceError(
                .targetFailure,
                "table '\(table)': the server lost this load's lock (it restarted without persistence, or was "
                    + "flushed); nothing was recorded: load again"
            )
        }
        let version = try await record(
            newState,
            change: change,
            context: context,
            source: request.source ?? input.source,
            summary: summary,
            metrics: metrics
        )
        if mark != nil {
            // The version is recorded: a mark left by a failure here only makes the next load check for nothing.
            do { try await CacheLoadMark.clear(keys(table), server: server) } catch {
                logger.warning(
                    "could not remove the load's mark",
                    metadata: ["table": "\(table)", "error": "\(error)"]
                )
            }
        }
        return LoadResult.completed(
            target: target,
            table: table,
            strategy: request.strategy,
            version: version,
            currentVersionID: version.id,
            checksum: ContentChecksum(hex: version.checksum) ?? .zero,
            metrics: metrics,
            started: started,
            logger: logger,
            notes: notes
        )
    }

    /// Writes the new key state, then the version record (last), then removes the parent's key state.
    private func record(
        _ state: CacheTableState,
        change: TableChange,
        context: CacheLoadContext,
        source: String,
        summary: PreparedInputSummary,
        metrics: LoadingMetrics
    ) async throws -> DataVersion {
        let table = context.table
        let chunks = state.encodeChunks()
        var metadata = change.metadata.merging(context.layout.metadata) { _, layout in layout }
        metadata[CacheTableLayout.chunksKey] = String(chunks.count)
        if context.layout.isStream, metadata[CacheTableLayout.streamTimeKey] == nil {
            metadata[CacheTableLayout.streamTimeKey] = context.parent?.metadata[CacheTableLayout.streamTimeKey]
        }
        let version = DataVersion(
            recording: context.plan,
            request: context.request,
            source: source,
            recordCount: state.rowCount,
            checksum: state.checksum,
            inputChecksum: summary.inputChecksum,
            parent: context.parent,
            metrics: metrics,
            metadata: metadata
        )
        let tableKeys = keys(table)
        let encoded = try JSONEncoder().encode(version)
        let retry = context.request.retry
        try await retry.run(isTransient: CacheSender.isTransient) {
            let writes = chunks.enumerated().map { index, chunk in
                RESPCommand("SET", .string(tableKeys.state(version: version.id, chunk: index)), .bytes(chunk))
            }
            try Self.expectSuccess(try await server.pipeline(writes), table: table)
        }
        try await retry.run(isTransient: CacheSender.isTransient) {
            // The version goes in only once, even when a retry follows a dropped reply.
            let last = try await server.send(RESPCommand("LINDEX", .string(tableKeys.versions), -1))
            if !last.isNull, (try? Self.decodeVersion(last, table: table))?.id == version.id { return }
            try await server.send(RESPCommand("RPUSH", .string(tableKeys.versions), .bytes(Array(encoded))))
        }
        _ = try? await server.send(
            RESPCommand("SADD", .string(CacheTableKeys.tables(namespace: options.namespace)), .string(table))
        )
        if let parent = context.parent {
            let count = Int(parent.metadata[CacheTableLayout.chunksKey] ?? "0") ?? 0
            let stale = (0..<count).map {
                RESPCommand("UNLINK", .string(tableKeys.state(version: parent.id, chunk: $0)))
            }
            _ = try? await server.pipeline(stale)
        }
        return version
    }

    /// Refuses to start a table whose name needs escaping when a table of the same name was written before names
    /// were escaped: its versions and keys, kept under the unescaped names, would be left behind, and may be shared
    /// with another table's.
    private func refuseUnescapedLeftover(_ table: String) async throws {
        let tableKeys = keys(table)
        guard tableKeys.isRenamedByEscaping else { return }
        let reply = try await server.send(RESPCommand("EXISTS", .string(tableKeys.unescapedVersions)))
        guard reply.int == 1 else { return }
        throw SluiceError(
            .invalidRequest,
            "table '\(table)' was written before Sluice escaped ':' in table names (its versions are under "
                + "\(tableKeys.unescapedVersions)), so its keys may be shared with another table's; flush its keys "
                + "(sluice cache flush --namespace \(options.namespace), or UNLINK them) and load it again"
        )
    }

    static func expectSuccess(_ outcome: PipelineOutcome, table: String) throws {
        if let failure = outcome.errors.first {
            throw SluiceError(.targetFailure, "table '\(table)': \(failure.error.message)")
        }
    }

    /// A one-line error for a failed load: RESP errors become ``SluiceError``s naming the table.
    static func explain(_ error: any Error, table: String) -> any Error {
        guard let error = error as? RESPError else { return error }
        let code: SluiceError.Code = error.isRetryable ? .transient : .targetFailure
        return SluiceError(code, "table '\(table)': Redis \(error.message)", underlying: error)
    }
}
