import Foundation
import Testing

@testable import Sluice

@Suite("Codable input")
struct RecordEncoderTests {
    struct StockPrice: Codable, Sendable, KeyedRecord {
        static let keyColumns = ["symbol", "date"]
        var symbol: String
        var date: CivilDate
        var close: ExactDecimal
        var volume: Int
        var note: String?
    }

    @Test func valuesBecomeTypedColumnsWithExactDecimals() throws {
        let prices = [
            StockPrice(
                symbol: "AAPL",
                date: CivilDate("2024-01-02")!,
                close: ExactDecimal("185.6400")!,
                volume: 100,
                note: nil
            ),
            StockPrice(
                symbol: "MSFT",
                date: CivilDate("2024-01-02")!,
                close: ExactDecimal("370.87")!,
                volume: 200,
                note: "x"
            ),
        ]
        let (schema, batches) = try RecordEncoder().encode(prices, keyColumns: StockPrice.keyColumns)
        #expect(schema.columnNames == ["symbol", "date", "close", "volume", "note"])
        #expect(schema.columns.map(\.type) == [.string, .date, .decimal(precision: 18, scale: 4), .int64, .string])
        #expect(schema.keyColumns == ["symbol", "date"])
        #expect(batches.count == 1)
        #expect(batches[0].row(0)[2].text == "185.6400")
        #expect(batches[0].row(1)[2].text == "370.8700")
        #expect(batches[0].row(0)[4] == .null)
    }

    struct Quote: Codable {
        var price: Decimal
        var at: Date
        var tags: [String]
    }

    @Test func foundationTypesMapToSluiceTypes() throws {
        let quotes = [Quote(price: Decimal(string: "12.345")!, at: Date(timeIntervalSince1970: 1.5), tags: ["a"])]
        let (schema, batches) = try RecordEncoder().encode(quotes)
        #expect(schema.columns.map(\.type) == [.decimal(precision: 18, scale: 3), .timestamp, .json])
        #expect(
            batches[0].row(0) == [
                .decimal(ExactDecimal("12.345")!),
                .timestamp(Timestamp(microsecondsSinceEpoch: 1_500_000)), .json("[\"a\"]"),
            ]
        )
    }

    @Test func batchesAreSplitBySize() throws {
        struct Row: Codable { var n: Int }
        let (_, batches) = try RecordEncoder().encode((0..<10).map { Row(n: $0) }, batchSize: 4)
        #expect(batches.map(\.count) == [4, 4, 2])
    }
}
