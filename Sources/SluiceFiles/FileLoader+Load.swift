import Foundation
import Logging
import Sluice

extension FileLoader {
    public func validate(schema: Schema, request: LoadRequest) async throws {
        let folder = try folder(request.table)
        let parent = try ManifestStore(folder: folder).latest()
        let plan = try LoadPlan.make(input: schema, request: request, existing: parent?.version.schema)
        _ = try Self.partitioning(for: request, plan: plan, parent: parent)
        try Self.refuseIndexes(request)
    }

    public func load(_ input: RecordStream, request: LoadRequest) async throws -> LoadResult {
        let started = ContinuousClock.now
        let folder = try folder(request.table)
        try Self.refuseIndexes(request)
        try Durability.makeDirectory(directory)
        let lock = try await TableLock.acquire(in: folder.sluiceFolder, table: request.table)
        let store = ManifestStore(folder: folder)
        let parent = try store.latest()
        try symlinks.check(partitionsOf: parent?.files ?? [], in: folder)
        try request.checkExpectedLatest(parent?.version)
        let plan = try LoadPlan.make(input: input.schema, request: request, existing: parent?.version.schema)
        let partitioning = try Self.partitioning(for: request, plan: plan, parent: parent)
        let removed = try FileLeftovers.remove(in: folder, store: store)
        if removed > 0 {
            logger.info("removed leftover files", metadata: ["table": "\(plan.table)", "files": "\(removed)"])
        }
        let context = FileLoadContext(
            folder: folder,
            plan: plan,
            request: request,
            parent: parent,
            partitioning: partitioning,
            output: output,
            source: request.source ?? input.source,
            started: started
        )
        let outcome = try await PreparedInput.run(
            input,
            schema: plan.preparerSchema,
            request: request,
            capacity: 4
        ) { channel in
            try await Self.onWriterThread {
                try FileLoadWriter(context: context, channel: channel, store: store).run()
            }
        }
        withExtendedLifetime(lock) {}
        return LoadResult.completed(
            target: target,
            table: plan.table,
            strategy: request.strategy,
            version: outcome.version,
            currentVersionID: outcome.currentVersionID,
            checksum: outcome.checksum,
            metrics: outcome.metrics,
            started: started,
            logger: logger
        )
    }

    /// The table's partitioning: the existing table's (a load asking for another fails), else the request's.
    static func partitioning(for request: LoadRequest, plan: LoadPlan, parent: Manifest?) throws -> Partitioning? {
        if let parent {
            if let asked = request.partitioning, asked != parent.partitioning {
                let current = parent.partitioning.map { "partitioned by \($0)" } ?? "not partitioned"
                throw SluiceError(
                    .invalidRequest,
                    "table '\(plan.table)' is \(current); the load asks for --partition-by \(asked) "
                        + "(a table keeps the partitioning it was created with)"
                )
            }
            return parent.partitioning
        }
        guard let partitioning = request.partitioning else { return nil }
        try partitioning.check(plan.tableSchema.withKey(plan.keyColumns), table: plan.table)
        return partitioning
    }

    /// Files have no indexes: a request that asks for one fails before anything is read.
    static func refuseIndexes(_ request: LoadRequest) throws {
        guard let columns = request.indexes.first else { return }
        throw SluiceError(
            .invalidRequest,
            "index (\(columns.joined(separator: ", "))) is not supported by the file target: files have no "
                + "indexes (partition by a date column with --partition-by instead)"
        )
    }

    /// Runs the blocking `body` (file writes, compression) on a thread of its own, not on the cooperative pool.
    static func onWriterThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = "sluice-file-writer"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

}

/// Everything a load's writer needs besides the batches.
struct FileLoadContext: Sendable {
    var folder: TableFolder
    var plan: LoadPlan
    var request: LoadRequest
    var parent: Manifest?
    var partitioning: Partitioning?
    var output: FileOutputOptions
    var source: String
    var started: ContinuousClock.Instant

    var table: String { plan.table }
    var strategy: LoadingStrategy { request.strategy }
}
