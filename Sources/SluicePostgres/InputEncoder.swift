import NIOCore
import Sluice

/// The producer side of a load: reads input batches, runs them through the ``Sluice/BatchPreparer``, and encodes
/// the valid rows as COPY text chunks of about `chunkBytes` — for the table itself, or for the staging table with
/// each row's sequence number, source line, source number and whether its key may repeat an earlier row's (a
/// ``RepeatedKeyFilter``) in front.
///
/// Under an incremental load with a cursor, rows at or below the watermark are counted and never sent. Under one
/// with row-hash change detection, each staged row also carries its key hash and row hash, and a row whose hash
/// equals the one `rowHashes` recorded for its key (and whose key the input has not held before) is counted as
/// unchanged and never sent.
struct InputEncoder: Sendable {
    let plan: LoadPlan
    let request: LoadRequest
    let parent: DataVersion?
    let staged: Bool
    let chunkBytes: Int
    /// Whether staged rows carry their key and row hashes (``PostgresRowHashes``).
    var recordsRowHashes = false
    /// The hashes of the parent version's rows, when they are known.
    var rowHashes: RowHashMap?

    /// Batches read and prepared ahead of encoding by a task of their own (parsing, validating and digesting
    /// overlap encoding), or 0 to do everything in one task.
    var readAhead = 0

    /// Drains `input` into `channel`, finishing it with the summary or the error that stopped the input.
    func run(_ input: RecordStream, into channel: ChunkChannel<CopyChunk, InputSummary>) async {
        guard readAhead > 0 else {
            var preparer = BatchPreparer(schema: plan.preparerSchema, request: request)
            defer { preparer.finish() }
            var batches = input.makeAsyncIterator()
            await encode(
                into: channel,
                next: {
                    guard let batch = try await batches.next() else {
                        try preparer.checkInputEnded()
                        return nil
                    }
                    return try preparer.prepare(batch, of: input)
                },
                totals: { PreparedTotals(metrics: preparer.metrics, inputChecksum: preparer.inputChecksum) }
            )
            return
        }
        let prepared = ChunkChannel<PreparedBatch, PreparedTotals>(capacity: readAhead)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                var preparer = BatchPreparer(schema: plan.preparerSchema, request: request)
                defer { preparer.finish() }
                do {
                    for try await batch in input {
                        guard await prepared.send(try preparer.prepare(batch, of: input)) else { return }
                    }
                    try preparer.checkInputEnded()
                    prepared.finish(
                        .success(PreparedTotals(metrics: preparer.metrics, inputChecksum: preparer.inputChecksum))
                    )
                } catch {
                    prepared.finish(.failure(error))
                }
            }
            await encode(
                into: channel,
                next: { try await prepared.receive() },
                totals: { prepared.summary ?? PreparedTotals(metrics: LoadingMetrics(), inputChecksum: .zero) }
            )
            prepared.close()
        }
    }

    /// Encodes the prepared batches `next` yields into COPY chunks; `totals` gives the preparer's metrics and
    /// input checksum once `next` has returned `nil`.
    private func encode(
        into channel: ChunkChannel<CopyChunk, InputSummary>,
        next: () async throws -> PreparedBatch?,
        totals: () -> PreparedTotals
    ) async {
        do {
            var cursor = try CursorTracker(plan: plan, parent: parent)
            var encoder = CopyTextEncoder()
            var chunk = newChunk(firstRow: 0)
            var sequence = 0
            var sources = SourceNumbers()
            var belowWatermark = 0
            var repeats =
                staged && !plan.keyColumns.isEmpty
                ? RepeatedKeyFilter(keyIndices: plan.keyColumns.compactMap { plan.tableSchema.index(of: $0) })
                : nil
            var possibleRepeats = 0
            var unchangedByHash = 0
            while let prepared = try await next() {
                let rows = prepared.batch
                for row in 0..<rows.count {
                    let origin = rows.origin(of: row)
                    if staged {
                        if cursor?.observe(row: row, of: rows) == true {
                            belowWatermark += 1
                            continue
                        }
                        let keyHash = repeats?.keyHash(row: row, of: rows) ?? 0
                        let repeated = repeats?.insert(keyHash: keyHash) ?? false
                        let rowHash = Int64(bitPattern: prepared.digests[row].limbs.0)
                        if !repeated, let known = rowHashes?[Int64(bitPattern: keyHash)], known == rowHash {
                            unchangedByHash += 1
                            continue
                        }
                        if repeated { possibleRepeats += 1 }
                        Self.appendStagingPrefix(
                            sequence: sequence,
                            origin: origin,
                            source: sources.number(of: origin.source),
                            repeated: repeated,
                            encoder: &encoder,
                            to: &chunk.buffer
                        )
                        if recordsRowHashes {
                            encoder.appendInteger(Int64(bitPattern: keyHash), to: &chunk.buffer)
                            chunk.buffer.writeInteger(UInt8(ascii: "\t"))
                            encoder.appendInteger(rowHash, to: &chunk.buffer)
                            chunk.buffer.writeInteger(UInt8(ascii: "\t"))
                        }
                    }
                    sequence += 1
                    encoder.appendRow(row, of: rows, to: &chunk.buffer)
                    chunk.origins.append(origin)
                    if chunk.buffer.readableBytes >= chunkBytes {
                        guard await channel.send(chunk) else { return }
                        chunk = newChunk(firstRow: sequence)
                    }
                }
            }
            if !chunk.origins.isEmpty {
                guard await channel.send(chunk) else { return }
            }
            let totals = totals()
            let summary = InputSummary(
                metrics: totals.metrics,
                inputChecksum: totals.inputChecksum,
                cursorMetadata: cursor?.metadata ?? [:],
                sources: sources.names,
                belowWatermark: belowWatermark,
                possibleRepeats: possibleRepeats,
                unchangedByHash: unchangedByHash
            )
            channel.finish(.success(summary))
        } catch {
            channel.finish(.failure(error))
        }
    }

    private func newChunk(firstRow: Int) -> CopyChunk {
        var buffer = ByteBufferAllocator().buffer(capacity: chunkBytes + chunkBytes / 8)
        buffer.clear()
        return CopyChunk(buffer: buffer, firstRow: firstRow, origins: [])
    }

    /// `seq \t line \t source \t repeated \t` — the staging table's bookkeeping columns.
    static func appendStagingPrefix(
        sequence: Int,
        origin: RecordOrigin,
        source: Int,
        repeated: Bool,
        encoder: inout CopyTextEncoder,
        to buffer: inout ByteBuffer
    ) {
        encoder.appendInteger(Int64(sequence), to: &buffer)
        buffer.writeInteger(UInt8(ascii: "\t"))
        encoder.appendInteger(Int64(origin.line), to: &buffer)
        buffer.writeInteger(UInt8(ascii: "\t"))
        encoder.appendInteger(Int64(source), to: &buffer)
        buffer.writeInteger(UInt8(ascii: "\t"))
        buffer.writeInteger(repeated ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        buffer.writeInteger(UInt8(ascii: "\t"))
    }
}

/// Numbers for the sources rows come from, so that the staging table stores a small integer per row instead of
/// the source's name.
struct SourceNumbers {
    /// The sources in order of first appearance: a row's source number indexes this.
    private(set) var names: [String] = []
    private var numbers: [String: Int] = [:]
    private var last: (name: String, number: Int)?

    /// The number of `source`, assigning the next one on first sight.
    mutating func number(of source: String) -> Int {
        if let last, last.name == source { return last.number }
        let number =
            numbers[source]
            ?? {
                names.append(source)
                numbers[source] = names.count - 1
                return names.count - 1
            }()
        last = (source, number)
        return number
    }
}

/// What the preparing side hands on at the end of the input.
struct PreparedTotals: Sendable {
    var metrics: LoadingMetrics
    var inputChecksum: ContentChecksum
}
