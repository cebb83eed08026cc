import Sluice
import Synchronization

/// Rows counted and digested as they pass from an export's source to its destination.
final class RowsRead: Sendable {
    private let digester: RowDigester?
    private let state = Mutex((count: 0, checksum: ContentChecksum.zero))

    /// Counts rows of `schema`, and digests them when `digests` is set.
    init(schema: Schema, digests: Bool) {
        digester = digests ? RowDigester(schema: schema) : nil
    }

    func add(_ batch: RecordBatch) {
        let sum = digester?.checksum(of: batch) ?? .zero
        state.withLock { state in
            state.count += batch.count
            state.checksum.add(sum)
        }
    }

    var count: Int { state.withLock { $0.count } }
    var checksum: ContentChecksum { state.withLock { $0.checksum } }
}
