/// The row hash of each key a table held after a version, as far as Sluice recorded it: key hashes (a
/// ``RepeatedKeyFilter/keyHash(row:of:)``) mapped to the first 64 bits of the row digest, both as the `bigint`s
/// PostgreSQL stores.
///
/// Sorted parallel arrays, 16 bytes per key, searched by bisection: an incremental load looks every input row up
/// and sends only rows whose hash differs or whose key is not recorded. A missing key is never wrong (the row is
/// sent and the server compares it); a recorded hash must be the row's as the table holds it at that version.
struct RowHashMap: Sendable {
    private var keys: [Int64] = []
    private var hashes: [Int64] = []

    /// An empty map.
    init() {}

    /// Adds a key greater than every key added before (the server returns them `ORDER BY` key).
    mutating func append(key: Int64, hash: Int64) {
        precondition(keys.last.map { $0 < key } ?? true, "keys must be added in ascending order")
        keys.append(key)
        hashes.append(hash)
    }

    /// The keys recorded.
    var count: Int { keys.count }

    /// The row hash recorded for `key`.
    subscript(key: Int64) -> Int64? {
        var low = 0
        var high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < keys.count && keys[low] == key ? hashes[low] : nil
    }
}
