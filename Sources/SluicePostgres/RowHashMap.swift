/// The row hash of each key a table held after a version, as far as Sluice recorded it: key hashes (a
/// ``RepeatedKeyFilter/keyHash(row:of:)``) mapped to the first 64 bits of the row digest, both as the `bigint`s
/// PostgreSQL stores.
///
/// One sorted array of pairs, 16 bytes per key, searched by bisection: an incremental load looks every input row
/// up and sends only rows whose hash differs or whose key is not recorded. A missing key is never wrong (the row
/// is sent and the server compares it); a recorded hash must be the row's as the table holds it at that version.
struct RowHashMap: Sendable {
    struct Entry: Sendable {
        var key: Int64
        var hash: Int64
    }

    private var entries: [Entry]

    /// A map of `entries` in any order; a key given more than once keeps none of its hashes (its rows are sent).
    init(_ entries: [Entry]) {
        var entries = entries
        entries.sort { $0.key < $1.key }
        var kept = 0
        var index = 0
        while index < entries.count {
            var end = index + 1
            while end < entries.count && entries[end].key == entries[index].key { end += 1 }
            if end == index + 1 {
                entries[kept] = entries[index]
                kept += 1
            }
            index = end
        }
        entries.removeLast(entries.count - kept)
        self.entries = entries
    }

    /// The keys recorded.
    var count: Int { entries.count }

    /// The row hash recorded for `key`.
    subscript(key: Int64) -> Int64? {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].key < key { low = middle + 1 } else { high = middle }
        }
        return low < entries.count && entries[low].key == key ? entries[low].hash : nil
    }
}
