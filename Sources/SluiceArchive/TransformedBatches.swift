import Sluice

/// The batches of a stream passed through a transformation (which may drop a batch by returning `nil`), with a
/// check at the end of the stream that can still fail it: how the archive counts what it writes and leaves out what
/// it archived.
struct TransformedBatches: AsyncSequence, Sendable {
    typealias Element = RecordBatch

    let upstream: RecordStream
    let transform: @Sendable (RecordBatch) throws -> RecordBatch?
    let atEnd: @Sendable () throws -> Void

    init(
        _ upstream: RecordStream,
        transform: @escaping @Sendable (RecordBatch) throws -> RecordBatch?,
        atEnd: @escaping @Sendable () throws -> Void = {}
    ) {
        self.upstream = upstream
        self.transform = transform
        self.atEnd = atEnd
    }

    func makeAsyncIterator() -> Iterator {
        Iterator(upstream: upstream.makeAsyncIterator(), transform: transform, atEnd: atEnd)
    }

    struct Iterator: AsyncIteratorProtocol {
        var upstream: RecordStream.Iterator
        let transform: @Sendable (RecordBatch) throws -> RecordBatch?
        let atEnd: @Sendable () throws -> Void
        var ended = false

        mutating func next() async throws -> RecordBatch? {
            guard !ended else { return nil }
            while let batch = try await upstream.next() {
                if let transformed = try transform(batch) { return transformed }
            }
            ended = true
            try atEnd()
            return nil
        }
    }
}

extension RecordStream {
    /// This stream passed through `transform`, as a stream of `schema` (the transformation's output schema).
    func transformed(
        schema: Schema? = nil,
        _ transform: @escaping @Sendable (RecordBatch) throws -> RecordBatch?,
        atEnd: @escaping @Sendable () throws -> Void = {}
    ) -> RecordStream {
        RecordStream(
            schema: schema ?? self.schema,
            source: source,
            byteCounter: byteCounter,
            TransformedBatches(self, transform: transform, atEnd: atEnd)
        )
    }
}

extension RecordBatch {
    /// The same rows as a batch of `schema` (the same columns, another key).
    func relabelled(_ schema: Schema) -> RecordBatch {
        RecordBatch(schema: schema, columns: columns, source: source, lines: lines, rejects: rejects)
    }
}
