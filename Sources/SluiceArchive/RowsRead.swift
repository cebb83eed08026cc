import Sluice
import Synchronization

/// Rows counted and digested as they pass from an export's source to its destination.
final class RowsRead: Sendable {
    private let digester: RowDigester
    private let state = Mutex((count: 0, checksum: ContentChecksum.zero))

    init(schema: Schema) {
        digester = RowDigester(schema: schema)
    }

    func add(_ batch: RecordBatch) {
        let sum = digester.checksum(of: batch)
        state.withLock { state in
            state.count += batch.count
            state.checksum.add(sum)
        }
    }

    var count: Int { state.withLock { $0.count } }
    var checksum: ContentChecksum { state.withLock { $0.checksum } }

    /// Fails when the rows read do not sum to `expected`, the checksum source version `version` recorded (nothing is
    /// checked when `expected` is empty: a selection, or a table without versions).
    ///
    /// - Throws: ``Sluice/SluiceError`` (`targetFailure`) naming both checksums.
    func check(_ expected: String, version: String, table: String) throws {
        let actual = checksum.hex
        guard !expected.isEmpty, actual != expected else { return }
        throw SluiceError(
            .targetFailure,
            "export of table '\(table)': the rows read sum to \(actual), but source version \(version) recorded "
                + "\(expected): the source changed while it was read; nothing was exported"
        )
    }
}
