import Sluice

/// Collects rows picked one at a time from other batches (a partition's kept rows, the input's new ones) into
/// batches of the table's schema, handing each full batch and its digests to a ``PartOutput``.
struct RowCollector {
    private let partition: String
    private let output: PartOutput
    private var builder: RecordBatchBuilder
    private var digests: [ContentChecksum] = []
    private let capacity: Int

    /// A collector of rows of `schema` for `partition`.
    init(schema: Schema, partition: String, output: PartOutput, capacity: Int = 8192) {
        self.partition = partition
        self.output = output
        self.capacity = capacity
        builder = RecordBatchBuilder(schema: schema, capacity: capacity)
    }

    /// Adds row `row` of `batch`, whose digest is `digest`.
    mutating func add(row: Int, of batch: RecordBatch, digest: ContentChecksum) throws {
        builder.copyRow(row, from: batch)
        digests.append(digest)
        if digests.count >= capacity { try flush() }
    }

    /// Hands the rows collected so far to the output.
    mutating func flush() throws {
        guard !digests.isEmpty else { return }
        try output.write(builder.build(), digests: digests, partition: partition)
        digests.removeAll(keepingCapacity: true)
    }
}
