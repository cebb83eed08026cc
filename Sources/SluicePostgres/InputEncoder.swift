import NIOCore
import Sluice

/// The producer side of a load: reads input batches, runs them through the ``Sluice/BatchPreparer``, and encodes
/// the valid rows as COPY text chunks of about `chunkBytes` — for the table itself, or for the staging table with
/// each row's sequence number, digest, source line, source and cursor state in front.
struct InputEncoder: Sendable {
    let plan: LoadPlan
    let request: LoadRequest
    let parent: DataVersion?
    let staged: Bool
    let chunkBytes: Int

    /// Drains `input` into `channel`, finishing it with the summary or the error that stopped the input.
    func run(_ input: RecordStream, into channel: ChunkChannel<CopyChunk, InputSummary>) async {
        var preparer = BatchPreparer(schema: plan.preparerSchema, request: request)
        defer { preparer.finish() }
        do {
            var cursor = try CursorTracker(plan: plan, parent: parent)
            var encoder = CopyTextEncoder()
            var chunk = newChunk(firstRow: 0)
            var sequence = 0
            for try await batch in input {
                let prepared = try preparer.prepare(batch)
                preparer.recordBytesRead(input.byteCounter.bytesRead)
                request.progress?(
                    LoadProgress(
                        recordsProcessed: preparer.metrics.recordsProcessed,
                        bytesRead: input.byteCounter.bytesRead,
                        bytesTotal: input.byteCounter.bytesTotal
                    )
                )
                let rows = prepared.batch
                for row in 0..<rows.count {
                    sequence += 1
                    let origin = rows.origin(of: row)
                    if staged {
                        let below = cursor?.observe(row: row, of: rows) ?? false
                        Self.appendStagingPrefix(
                            sequence: sequence,
                            digest: prepared.digests[row],
                            origin: origin,
                            state: below ? StagingState.belowWatermark : .pending,
                            encoder: &encoder,
                            to: &chunk.buffer
                        )
                    }
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
            let summary = InputSummary(
                metrics: preparer.metrics,
                inputChecksum: preparer.inputChecksum,
                cursorMetadata: cursor?.metadata ?? [:]
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

    /// `seq \t digest \t line \t source \t state \t` — the staging table's bookkeeping columns.
    static func appendStagingPrefix(
        sequence: Int,
        digest: ContentChecksum,
        origin: RecordOrigin,
        state: StagingState,
        encoder: inout CopyTextEncoder,
        to buffer: inout ByteBuffer
    ) {
        encoder.appendInteger(Int64(sequence), to: &buffer)
        buffer.writeInteger(UInt8(ascii: "\t"))
        CopyTextEncoder.appendDigest(digest, to: &buffer)
        buffer.writeInteger(UInt8(ascii: "\t"))
        encoder.appendInteger(Int64(origin.line), to: &buffer)
        buffer.writeInteger(UInt8(ascii: "\t"))
        CopyTextEncoder.appendEscaped(origin.source, to: &buffer)
        buffer.writeInteger(UInt8(ascii: "\t"))
        encoder.appendInteger(Int64(state.rawValue), to: &buffer)
        buffer.writeInteger(UInt8(ascii: "\t"))
    }
}

/// Where a staged row stands.
enum StagingState: Int, Sendable {
    case pending = 0
    case belowWatermark = 1
    case new = 2
    case changed = 3
    case unchanged = 4
}
