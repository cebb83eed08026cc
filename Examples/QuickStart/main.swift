// The README's library quick start, compiled and run in CI (`swift run QuickStart`).
import Foundation
import Sluice
import SluiceSQLite

struct StockPrice: Codable, Sendable {
    var symbol: String
    var date: CivilDate
    var close: ExactDecimal
    var volume: Int
}

let prices = [
    StockPrice(symbol: "AAPL", date: CivilDate("2025-08-01")!, close: ExactDecimal("202.3800")!, volume: 104_434_500),
    StockPrice(symbol: "MSFT", date: CivilDate("2025-08-01")!, close: ExactDecimal("524.1100")!, volume: 28_977_600),
]

let path = FileManager.default.temporaryDirectory.appendingPathComponent("quickstart-\(UUID().uuidString).sqlite").path
defer { try? FileManager.default.removeItem(atPath: path) }

try await withLoader("sqlite:\(path)", factories: [SQLiteLoader.factory]) { loader in
    // Insert or update by the natural key; unchanged rows are skipped, and the load is recorded as a version.
    let first = try await loader.load(prices, into: "stock_prices", key: ["symbol", "date"], strategy: .upsert)
    print("inserted \(first.metrics.recordsInserted), version \(first.currentVersionID ?? "-")")

    // Loading the same data again changes nothing and records no new version.
    let again = try await loader.load(prices, into: "stock_prices", strategy: .upsert)
    precondition(again.version == nil && again.metrics.recordsSkipped == 2)

    // The table still matches its latest version, value for value.
    let verification = try await loader.verify(table: "stock_prices")
    precondition(verification.isValid)
    print("verified \(verification.actualRecordCount) rows, checksum \(verification.actualChecksum)")
}
