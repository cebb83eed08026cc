/// A calendar date without a time zone, stored as days since 1970-01-01.
public struct CivilDate: Sendable, Hashable, Comparable, Codable {
    /// Days since 1970-01-01 (negative before).
    public var daysSinceEpoch: Int32

    /// Creates a date from days since 1970-01-01.
    public init(daysSinceEpoch: Int32) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// Creates a date from its year, month and day, or `nil` if there is no such date.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year),
            (-9999...9999).contains(year)
        else { return nil }
        self.daysSinceEpoch = Int32(CivilDate.days(year: year, month: month, day: day))
    }

    /// Parses `YYYY-MM-DD`.
    public init?(_ text: some StringProtocol) {
        var bytes = Array(text.utf8)
        guard let days = bytes.withUnsafeMutableBytes({ CivilDate.parse(UnsafeRawBufferPointer($0)) }) else {
            return nil
        }
        self.daysSinceEpoch = days
    }

    /// The (year, month, day) of this date.
    public var components: (year: Int, month: Int, day: Int) { CivilDate.civil(Int(daysSinceEpoch)) }

    /// The weekday, 0 for Sunday through 6 for Saturday.
    public var weekday: Int {
        let value = (Int(daysSinceEpoch) + 4) % 7
        return value < 0 ? value + 7 : value
    }

    /// This date moved by `days`.
    public func adding(days: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + Int32(days)) }

    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CivilDate(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a date: '\(text)'")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // MARK: Calendar arithmetic (Howard Hinnant's days-from-civil algorithms)

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    @usableFromInline
    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Parses `YYYY-MM-DD` from UTF-8 bytes into days since the epoch.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        guard let year = digits(bytes, 0, 4), let month = digits(bytes, 5, 2), let day = digits(bytes, 8, 2),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        return Int32(days(year: year, month: month, day: day))
    }

    static func digits(_ bytes: UnsafeRawBufferPointer, _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for index in start..<(start + count) {
            let byte = bytes[index]
            guard byte >= 48 && byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }

    /// Appends `YYYY-MM-DD` to `bytes`.
    public static func append(daysSinceEpoch: Int32, to bytes: inout [UInt8]) {
        withText(daysSinceEpoch: daysSinceEpoch) { bytes.append(contentsOf: $0) }
    }

    /// Calls `body` with `YYYY-MM-DD` (a `-` before years before 1 BCE, and more year digits after 9999), written
    /// on the stack.
    @inlinable
    public static func withText<Result>(
        daysSinceEpoch: Int32,
        _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        let (year, month, day) = civil(Int(daysSinceEpoch))
        return try withUnsafeTemporaryAllocation(byteCount: 24, alignment: 1) { buffer in
            var end = 0
            if year < 0 {
                buffer[0] = UInt8(ascii: "-")
                end = 1
            }
            end = writePadded(abs(year), width: 4, at: end, in: buffer)
            buffer[end] = UInt8(ascii: "-")
            end = writePadded(month, width: 2, at: end + 1, in: buffer)
            buffer[end] = UInt8(ascii: "-")
            end = writePadded(day, width: 2, at: end + 1, in: buffer)
            return try body(UnsafeRawBufferPointer(rebasing: buffer[..<end]))
        }
    }

    /// Writes `value` zero-padded to `width` digits at `index`; returns the index after it.
    @inlinable @inline(__always)
    static func writePadded(_ value: Int, width: Int, at index: Int, in buffer: UnsafeMutableRawBufferPointer) -> Int {
        var digits = 1
        var probe = value / 10
        while probe > 0 {
            digits += 1
            probe /= 10
        }
        let count = max(digits, width)
        var remaining = value
        for position in stride(from: index + count - 1, through: index, by: -1) {
            buffer[position] = 48 &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
        }
        return index + count
    }

    static func appendPadded(_ value: Int, width: Int, to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(byteCount: 24, alignment: 1) { buffer in
            let end = writePadded(value, width: width, at: 0, in: buffer)
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<end]))
        }
    }
}

extension CivilDate: CustomStringConvertible {
    /// `YYYY-MM-DD`.
    public var description: String {
        var bytes: [UInt8] = []
        CivilDate.append(daysSinceEpoch: daysSinceEpoch, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
