import Sluice
import SluiceTesting
import Testing

/// `Codable` values in, exact decimals back.
@Suite("Codable input")
struct CodableConformanceTests {
    struct StockPrice: Codable, Sendable {
        var symbol: String
        var date: CivilDate
        var close: ExactDecimal
        var volume: Int
    }

    static let prices = [
        StockPrice(symbol: "AAPL", date: CivilDate("2024-01-02")!, close: ExactDecimal("123.4500")!, volume: 100),
        StockPrice(symbol: "MSFT", date: CivilDate("2024-01-02")!, close: ExactDecimal("370.8700")!, volume: 200),
    ]

    @Test("Codable values upsert, and decimals come back exact", arguments: ConformanceTarget.all)
    func codableUpsert(target: ConformanceTarget) async throws {
        try await target.withLoader { (loader) async throws in
            let result = try await loader.load(
                Self.prices,
                into: "stock_prices",
                key: ["symbol", "date"],
                strategy: .upsert
            )
            #expect(result.metrics.recordsInserted == 2)
            try await loader.expectVerified("stock_prices")
            let rows = try await loader.contents("stock_prices")
            #expect(rows == [["AAPL", "2024-01-02", "123.4500", "100"], ["MSFT", "2024-01-02", "370.8700", "200"]])
            let schema = try await loader.schema(of: "stock_prices")
            #expect(schema?.keyColumns == ["symbol", "date"])
            #expect(schema?.column(named: "close")?.type == .decimal(precision: 18, scale: 4))

            var changed = Self.prices
            changed[1].close = ExactDecimal("371.0000")!
            let rerun = try await loader.load(
                changed,
                into: "stock_prices",
                key: ["symbol", "date"],
                strategy: .upsert
            )
            #expect(Counts(rerun) == Counts(processed: 2, updated: 1, skipped: 1))
            try await loader.expectVerified("stock_prices")
        }
    }

    @Test("withLoader opens sqlite: URLs through the factory")
    func withLoaderURL() async throws {
        let count = try await withLoader("sqlite::memory:", factories: [SQLiteLoaderFactoryProbe.factory]) { loader in
            try await loader.load(Self.prices, into: "stock_prices", key: ["symbol", "date"], strategy: .upsert)
                .metrics.recordsInserted
        }
        #expect(count == 2)
    }
}
