import Sluice
import Testing

@testable import SluiceFormats

@Suite("Canonical value text in writers")
struct ValueTextTests {
    static let decimals: [(Int128, Int)] = [
        (0, 0), (0, 4), (1, 4), (-1, 4), (1_234_500, 4), (-50, 2), (Int128(Int64.max), 4), (Int128(Int64.min), 4),
        (Int128(Int64.max) + 1, 4), (-(Int128(Int64.max) + 2), 0), (123, 18), (-7, 3),
    ]

    @Test("decimals print exactly as the core prints them", arguments: decimals)
    func decimalText(significand: Int128, scale: Int) {
        var bytes: [UInt8] = []
        ValueText.appendDecimal(significand, scale: scale, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == DecimalText.format(significand, scale: scale))
    }

    @Test("dates print as YYYY-MM-DD like the core", arguments: [-719_528, -1, 0, 1, 10_957, 20_000, 2_932_896])
    func dateText(days: Int32) {
        var bytes: [UInt8] = []
        ValueText.appendDate(days, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == CivilDate(daysSinceEpoch: days).description)
    }

    @Test("integers print in full, including the extremes", arguments: [0, 7, -7, Int64.max, Int64.min])
    func integerText(value: Int64) {
        var bytes: [UInt8] = []
        ValueText.appendInteger(value, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == String(value))
    }

    @Test("JSON strings escape quotes, backslashes and control characters only")
    func jsonStrings() {
        var bytes: [UInt8] = []
        JSONWriter.appendString("a\"b\\c\nd\u{01}é", to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == #""a\"b\\c\nd\u0001é""#)
    }
}
