import Sluice

/// Deterministic daily market data for demos, tests and benchmarks: `symbol, date, open, high, low, close,
/// adj_close, volume`, prices with 4 decimals, over NYSE trading days ending at ``endDate``.
///
/// Prices follow a random walk per symbol with realistic daily moves; every row satisfies
/// `low <= open, close <= high`, prices are positive, and the same seed always gives the same rows.
public struct OHLCVGenerator: Sendable {
    /// The schema of the rows, keyed by `symbol, date`.
    public static let schema = Schema(
        columns: [
            Column("symbol", .string), Column("date", .date),
            Column("open", .decimal(precision: 18, scale: 4)), Column("high", .decimal(precision: 18, scale: 4)),
            Column("low", .decimal(precision: 18, scale: 4)), Column("close", .decimal(precision: 18, scale: 4)),
            Column("adj_close", .decimal(precision: 18, scale: 4)), Column("volume", .int64),
        ],
        keyColumns: ["symbol", "date"]
    )

    /// The last trading day of every sample.
    public static let endDate = CivilDate(year: 2025, month: 11, day: 28)!

    /// Rows in all.
    public let rows: Int
    /// The symbols, one row per symbol per trading day.
    public let symbols: [String]
    /// The seed.
    public let seed: UInt64

    /// A generator of `rows` rows over `symbolCount` symbols.
    public init(rows: Int, symbolCount: Int = 100, seed: UInt64 = 42) {
        self.rows = max(0, rows)
        self.seed = seed
        self.symbols = OHLCVGenerator.makeSymbols(max(1, symbolCount), seed: seed)
    }

    /// The batches of the sample, `batchSize` rows each, produced lazily.
    public func batches(batchSize: Int = 8192) -> AnyIterator<RecordBatch> {
        let dayCount = (rows + symbols.count - 1) / symbols.count
        let days = TradingCalendar.days(count: dayCount, endingOnOrBefore: Self.endDate)
        var random = SplitMix64(seed: seed)
        var prices = symbols.map { _ in 10 + random.unit() * 490 }
        let baseVolumes = symbols.map { _ in 200_000 + random.unit() * 20_000_000 }
        let symbols = self.symbols
        let total = rows
        var produced = 0
        var dayIndex = 0
        var symbolIndex = 0
        return AnyIterator {
            guard produced < total else { return nil }
            var builder = RecordBatchBuilder(schema: Self.schema, source: "sample", capacity: batchSize)
            while builder.count < batchSize && produced < total {
                let row = Self.nextRow(
                    &random,
                    price: &prices[symbolIndex],
                    baseVolume: baseVolumes[symbolIndex],
                    progress: Double(dayIndex) / Double(max(dayCount, 1))
                )
                do {
                    try builder.append(.string(symbols[symbolIndex]), column: 0)
                    try builder.append(.date(days[dayIndex]), column: 1)
                    for (offset, value) in row.prices.enumerated() {
                        try builder.append(.decimal(ExactDecimal(significand: value, scale: 4)), column: 2 + offset)
                    }
                    try builder.append(.int64(row.volume), column: 7)
                } catch {
                    preconditionFailure("generated rows always fit the schema: \(error)")
                }
                produced += 1
                builder.endRow(line: produced)
                symbolIndex += 1
                if symbolIndex == symbols.count {
                    symbolIndex = 0
                    dayIndex += 1
                }
            }
            return builder.build()
        }
    }

    static func nextRow(
        _ random: inout SplitMix64,
        price: inout Double,
        baseVolume: Double,
        progress: Double
    )
        -> (prices: [Int128], volume: Int64)
    {
        let open = max(0.5, price * (1 + 0.004 * random.gaussian()))
        let close = max(0.5, open * (1 + 0.0004 + 0.018 * random.gaussian()))
        let high = max(open, close) * (1 + 0.008 * random.unit())
        let low = min(open, close) * (1 - 0.008 * random.unit())
        let adjustment = 0.92 + 0.08 * progress
        price = close
        func scaled(_ value: Double) -> Int128 { Int128((value * 10_000).rounded()) }
        var values = [scaled(open), scaled(high), scaled(low), scaled(close)]
        values[1] = max(values[1], values[0], values[3])
        values[2] = min(values[2], values[0], values[3])
        values.append(Int128((Double(values[3]) * adjustment).rounded()))
        let volume = Int64(baseVolume * (0.4 + 1.2 * random.unit()))
        return (values, volume)
    }

    static let wellKnown = [
        "AAPL", "MSFT", "AMZN", "GOOGL", "META", "NVDA", "TSLA", "BRK.B", "JPM", "JNJ", "V", "PG", "XOM", "UNH", "HD",
        "MA", "CVX", "KO", "PEP", "ABBV", "MRK", "COST", "WMT", "BAC", "DIS", "ADBE", "CRM", "NFLX", "INTC", "CSCO",
        "ORCL", "AMD", "QCOM", "TXN", "IBM", "NKE", "MCD", "SBUX", "GS", "MS", "CAT", "BA", "GE", "MMM", "HON", "UPS",
        "T", "VZ", "PFE", "LLY",
    ]

    static func makeSymbols(_ count: Int, seed: UInt64) -> [String] {
        var symbols = Array(wellKnown.prefix(count))
        var seen = Set(symbols)
        var random = SplitMix64(seed: seed ^ 0x5EED)
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        while symbols.count < count {
            let length = 3 + Int(random.next() % 2)
            let symbol = String((0..<length).map { _ in letters[Int(random.next() % 26)] })
            if seen.insert(symbol).inserted { symbols.append(symbol) }
        }
        return symbols
    }
}
