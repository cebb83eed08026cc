import NIOCore

extension PriceCommand {
    /// Trading days per symbol: `count` commands cover `count / days` symbols (rounded up).
    static let days = 2000

    /// `count` commands for symbols `SYM0000`, `SYM0001`… and 2000 consecutive dates from 2019-01-01 each, in that
    /// order (as a file sorted by symbol and date), with a JSON value of about 115 bytes. Made once, outside the
    /// timings; every key and value is a slice of one buffer (no allocation per command).
    static func batch(count: Int) -> [PriceCommand] {
        let dates = (0..<days).map { isoDate(daysSince1970: 17_897 + $0) }
        var storage = ByteBuffer()
        storage.reserveCapacity(count * 140)
        var ranges: [(key: Range<Int>, value: Range<Int>)] = []
        ranges.reserveCapacity(count)
        for index in 0..<count {
            let symbol = "SYM" + padded(index / days, width: 4)
            let date = dates[index % days]
            let keyStart = storage.writerIndex
            storage.writeString("price:\(symbol):\(date)")
            let valueStart = storage.writerIndex
            storage.writeString(json(index: index, symbol: symbol, date: date))
            ranges.append((keyStart..<valueStart, valueStart..<storage.writerIndex))
        }
        return ranges.map { range in
            PriceCommand(
                key: storage.getSlice(at: range.key.lowerBound, length: range.key.count)!,
                value: storage.getSlice(at: range.value.lowerBound, length: range.value.count)!
            )
        }
    }

    /// A made-up but plausible daily bar: prices in cents from the index, so every value differs.
    private static func json(index: Int, symbol: String, date: String) -> String {
        let open = 1_000 + (index &* 7_919) % 49_000
        let high = open + index % 300
        let low = open - index % 250
        let close = low + index % 400
        let volume = 10_000 + (index &* 104_729) % 9_000_000
        return """
            {"symbol":"\(symbol)","date":"\(date)","open":\(price(open)),"high":\(price(high)),\
            "low":\(price(low)),"close":\(price(close)),"volume":\(volume)}
            """
    }

    private static func price(_ cents: Int) -> String {
        "\(cents / 100)." + padded(cents % 100, width: 2)
    }

    private static func padded(_ number: Int, width: Int) -> String {
        let digits = String(number)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// `YYYY-MM-DD` of a day counted from 1970-01-01 (proleptic Gregorian; H. Hinnant's civil_from_days).
    static func isoDate(daysSince1970: Int) -> String {
        let shifted = daysSince1970 + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return "\(year)-\(padded(month, width: 2))-\(padded(day, width: 2))"
    }
}
