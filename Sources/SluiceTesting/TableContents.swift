import Sluice

/// A daily-prices table the way the tests load it: keyed by symbol and date, an exact decimal close and a volume.
public enum PriceRows {
    /// The key columns.
    public static let key = ["symbol", "date"]
    /// `symbol string, date date, close decimal(18,4), volume int64`, keyed by symbol and date.
    public static let schema = Schema(
        columns: [
            Column("symbol", .string), Column("date", .date), Column("close", .decimal(precision: 18, scale: 4)),
            Column("volume", .int64),
        ],
        keyColumns: key
    )

    /// One row: `row("AAPL", "2024-01-02", "185.6400", 100)`.
    public static func row(_ symbol: String, _ date: String, _ close: String, _ volume: Int64 = 100) -> [Value] {
        [.string(symbol), .date(CivilDate(date)!), .decimal(ExactDecimal(close)!), .int64(volume)]
    }
}

/// Rows of values as canonical text per value (`nil` for NULL), sorted: what ``Sluice/Loader/contents(_:)`` gives.
public func texts(_ rows: [[Value]]) -> [[String?]] { sortedTexts(rows.map { $0.map(\.text) }) }

/// Rows of text sorted, NULL (`nil`) before any text.
public func sortedTexts(_ rows: [[String?]]) -> [[String?]] {
    rows.sorted { $0.map { $0 ?? "∅" }.lexicographicallyPrecedes($1.map { $0 ?? "∅" }) }
}

extension Loader {
    /// The table's rows read back, sorted, as canonical text per value (`nil` for NULL).
    public func contents(_ table: String) async throws -> [[String?]] {
        var rows: [[String?]] = []
        for try await batch in try await read(table: table) {
            for row in 0..<batch.count { rows.append(batch.row(row).map(\.text)) }
        }
        return sortedTexts(rows)
    }
}
