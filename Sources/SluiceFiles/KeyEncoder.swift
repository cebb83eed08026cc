import Sluice

/// Turns the key columns of a row into bytes that are equal exactly when the keys are equal: the dictionary key
/// keyed strategies match input rows against a partition's rows with.
struct KeyEncoder {
    /// The key columns' names, in key order.
    let columns: [String]
    private let indices: [Int]

    /// An encoder for the key `keyColumns` of rows of `schema`.
    init(schema: Schema, keyColumns: [String]) {
        columns = keyColumns
        indices = keyColumns.compactMap { schema.index(of: $0) }
    }

    /// The key of row `row` of `batch`.
    func key(row: Int, of batch: RecordBatch) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for index in indices {
            switch batch.columns[index] {
            case .bool(let vector): append(vector[row].map { [$0 ? 1 : 0] }, to: &bytes)
            case .int64(let vector), .timestamp(let vector): append(vector[row].map(Self.bytes), to: &bytes)
            case .double(let vector):
                // 0.0 and -0.0 are one key, as in the databases.
                append(vector[row].map { Self.bytes(Int64(bitPattern: ($0 == 0 ? 0 : $0).bitPattern)) }, to: &bytes)
            case .decimal(let vector, _):
                append(
                    vector[row].map {
                        Self.bytes(Int64(truncatingIfNeeded: $0 >> 64)) + Self.bytes(Int64(truncatingIfNeeded: $0))
                    },
                    to: &bytes
                )
            case .date(let vector): append(vector[row].map { Self.bytes(Int64($0)) }, to: &bytes)
            case .string(let vector), .json(let vector): append(vector[row].map { Array($0.utf8) }, to: &bytes)
            case .bytes(let vector): append(vector[row], to: &bytes)
            }
        }
        return bytes
    }

    /// The key of row `row` of `batch` as message text: `(symbol=AAPL, date=2024-01-02)`.
    func describe(row: Int, of batch: RecordBatch) -> String {
        let parts = zip(columns, indices).map { name, index in
            "\(name)=\(batch.value(row: row, column: index).text ?? "NULL")"
        }
        return "(" + parts.joined(separator: ", ") + ")"
    }

    /// Appends a value as a length-prefixed field (a distinct marker for NULL), so no two keys collide by
    /// concatenation.
    private func append(_ value: [UInt8]?, to bytes: inout [UInt8]) {
        guard let value else { return bytes.append(0xFF) }
        let length = UInt32(value.count)
        bytes.append(contentsOf: [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF)])
        bytes.append(UInt8(length & 0xFF))
        bytes.append(contentsOf: value)
    }

    private static func bytes(_ value: Int64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }
}
