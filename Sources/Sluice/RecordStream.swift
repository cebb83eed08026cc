import Synchronization

/// An asynchronous stream of ``RecordBatch``es with a known schema: what every loader consumes.
///
/// Build one from a file reader, from any `AsyncSequence` of batches (the hook for the collection and
/// transformation stages before loading), or from `Codable` values. Iterate it once.
public struct RecordStream: AsyncSequence, Sendable {
    public typealias Element = RecordBatch

    /// The schema of every batch.
    public let schema: Schema
    /// The file paths or label the records come from.
    public let source: String
    /// Bytes read so far and in all, for progress reports (zero when the source has no bytes).
    public let byteCounter: ByteCounter
    private let makeNext: @Sendable () -> (() async throws -> RecordBatch?)

    /// A stream over any async sequence of batches.
    public init<Batches: AsyncSequence & Sendable>(
        schema: Schema,
        source: String,
        byteCounter: ByteCounter = ByteCounter(),
        _ batches: Batches
    ) where Batches.Element == RecordBatch {
        self.schema = schema
        self.source = source
        self.byteCounter = byteCounter
        self.makeNext = {
            var iterator = batches.makeAsyncIterator()
            return { try await iterator.next() }
        }
    }

    /// A stream that pulls batches from a synchronous producer (a file reader): `next` returns `nil` at the end.
    public init(
        schema: Schema,
        source: String,
        byteCounter: ByteCounter = ByteCounter(),
        makeProducer: @escaping @Sendable () -> (() throws -> RecordBatch?)
    ) {
        self.schema = schema
        self.source = source
        self.byteCounter = byteCounter
        self.makeNext = {
            let producer = makeProducer()
            return { try producer() }
        }
    }

    /// A stream of one batch holding `rows` (values in `schema`'s column order), for rows already in memory.
    ///
    /// - Throws: ``RowReject`` for a value that does not fit its column.
    public init(schema: Schema, source: String = "", rows: [[Value]]) throws(RowReject) {
        self.init(
            schema: schema,
            source: source,
            batches: [try RecordBatch(schema: schema, rows: rows, source: source)]
        )
    }

    /// A stream over batches already in memory.
    public init(schema: Schema, source: String, batches: [RecordBatch]) {
        self.init(schema: schema, source: source) {
            var remaining = batches[...]
            return { remaining.popFirst() }
        }
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(next: makeNext())
    }

    /// Iterates the batches of a ``RecordStream``.
    public struct Iterator: AsyncIteratorProtocol {
        let nextBatch: () async throws -> RecordBatch?

        init(next: @escaping () async throws -> RecordBatch?) {
            self.nextBatch = next
        }

        public mutating func next() async throws -> RecordBatch? {
            try await nextBatch()
        }
    }
}

/// Counts input bytes as a reader consumes them, for progress lines and `bytes_read`.
public final class ByteCounter: Sendable {
    private let read = Atomic<Int64>(0)
    private let total = Atomic<Int64>(-1)

    /// A counter at zero with an unknown total.
    public init() {}

    /// Adds `count` bytes read.
    public func add(_ count: Int) { read.add(Int64(count), ordering: .relaxed) }

    /// Bytes read so far.
    public var bytesRead: Int64 { read.load(ordering: .relaxed) }

    /// Bytes in all, when known.
    public var bytesTotal: Int64? {
        get {
            let value = total.load(ordering: .relaxed)
            return value < 0 ? nil : value
        }
    }

    /// Adds `count` bytes to the known total.
    public func addTotal(_ count: Int64) {
        if total.load(ordering: .relaxed) < 0 { total.store(0, ordering: .relaxed) }
        total.add(count, ordering: .relaxed)
    }
}
