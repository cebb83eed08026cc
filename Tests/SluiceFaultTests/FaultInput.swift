import Foundation
import Sluice

/// The CSV inputs of a faulted load: a table's first load (`base`) and the load that is killed (`next`).
///
/// Keyed strategies: `base` holds keys 0..<rows; `next` holds keys rows/4..<rows + rows/4, every even key with a
/// changed close and volume. So the load inserts a quarter, updates three eighths, leaves three eighths unchanged,
/// and (replace, incremental with `--delete-missing`) deletes the first quarter. Append (no key): `next` holds
/// other rows than `base`.
struct FaultInput {
    /// Rows in each file.
    let rows: Int
    /// The first load's file.
    let base: URL
    /// The faulted load's file.
    let next: URL

    /// Writes both files of `strategy` into `directory`.
    init(_ strategy: FaultStrategy, rows: Int, in directory: URL) throws {
        self.rows = rows
        let name = strategy == .append ? "append" : "keyed"
        base = directory.appendingPathComponent("base-\(name)-\(rows).csv")
        next = directory.appendingPathComponent("next-\(name)-\(rows).csv")
        let quarter = rows / 4
        if strategy == .append {
            try Self.write(0..<rows, revision: 0, to: base)
            try Self.write(rows..<(2 * rows), revision: 0, to: next)
        } else {
            try Self.write(0..<rows, revision: 0, to: base)
            try Self.write(quarter..<(rows + quarter), revision: 1, to: next)
        }
    }

    /// `symbol,date,close,volume` rows for `keys`; key `k` is symbol `S<k/1000>` on day `k % 1000` from
    /// 2019-04-13; even keys change with `revision`.
    static func write(_ keys: Range<Int>, revision: Int, to url: URL) throws {
        guard !FileManager.default.fileExists(atPath: url.path) else { return }
        var text = "symbol,date,close,volume\n"
        text.reserveCapacity(keys.count * 40)
        for key in keys {
            let change = key % 2 == 0 ? revision : 0
            let date = CivilDate(daysSinceEpoch: Int32(18_000 + key % 1000)).description
            let whole = 100 + (key &* 37 &+ change &* 11) % 900
            let cents = (key &* 13 &+ change &* 29) % 100
            let close = "\(whole).\(cents < 10 ? "0" : "")\(cents)50"
            text += "S\(key / 1000),\(date),\(close),\(key * 10 + change)\n"
        }
        try Data(text.utf8).write(to: url, options: .atomic)
    }
}
