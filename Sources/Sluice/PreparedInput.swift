/// What the input side of a load hands the writer at the end: the preparer's counts and the input's checksum.
public struct PreparedInputSummary: Sendable {
    /// Rows processed, rejected and bytes read.
    public var metrics: LoadingMetrics
    /// The checksum of every valid input row.
    public var inputChecksum: ContentChecksum

    /// Creates a summary.
    public init(metrics: LoadingMetrics, inputChecksum: ContentChecksum) {
        self.metrics = metrics
        self.inputChecksum = inputChecksum
    }
}

/// The shape of a load on targets whose writer blocks (SQLite's database thread, the file target's writer
/// thread): one child task reads the input and runs it through a ``BatchPreparer`` into a bounded
/// ``BatchChannel``; the writer drains the channel. Decoding and digesting overlap with writing, and a writer
/// that fails closes the channel, which stops the reader.
public enum PreparedInput {
    /// The channel between the reading task and the writer.
    public typealias Channel = BatchChannel<PreparedBatch, PreparedInputSummary>

    /// Runs `write` with a channel that `input`, prepared for a table of `schema` with `request`, flows into.
    ///
    /// - Parameter capacity: how many prepared batches may wait in the channel.
    /// - Returns: what `write` returns, once the reading task has ended too.
    public static func run<Result: Sendable>(
        _ input: RecordStream,
        schema: Schema,
        request: LoadRequest,
        capacity: Int,
        write: (Channel) async throws -> Result
    ) async throws -> Result {
        let channel = Channel(capacity: capacity)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await prepare(input, schema: schema, request: request, into: channel) }
            do {
                let result = try await write(channel)
                try await group.waitForAll()
                return result
            } catch {
                channel.close()
                group.cancelAll()
                throw error
            }
        }
    }

    /// The reading task: every input batch through the preparer into the channel, then the summary.
    private static func prepare(
        _ input: RecordStream,
        schema: Schema,
        request: LoadRequest,
        into channel: Channel
    ) async {
        var preparer = BatchPreparer(schema: schema, request: request)
        defer { preparer.finish() }
        do {
            for try await batch in input {
                let prepared = try preparer.prepare(batch, of: input)
                if prepared.batch.count > 0, await !channel.send(prepared) { return }
            }
            try preparer.checkInputEnded()
            channel.finish(
                .success(PreparedInputSummary(metrics: preparer.metrics, inputChecksum: preparer.inputChecksum))
            )
        } catch {
            channel.finish(.failure(error))
        }
    }
}
