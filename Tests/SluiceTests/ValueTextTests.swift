import Testing

@testable import Sluice

/// The canonical text of decimals, integers and dates, written on the stack by `withText` — what COPY, the file
/// writers and the row digests all print.
@Suite("Value text")
struct ValueTextTests {
    func text(_ significand: Int128, scale: Int) -> String {
        DecimalText.withText(significand, scale: scale) { String(decoding: $0, as: UTF8.self) }
    }

    @Test func decimalsAtTheirScale() {
        #expect(text(0, scale: 4) == "0.0000")
        #expect(text(0, scale: 0) == "0")
        #expect(text(-5, scale: 2) == "-0.05")
        #expect(text(1_856_400, scale: 4) == "185.6400")
        #expect(text(-1_856_400, scale: 4) == "-185.6400")
        #expect(text(7, scale: 0) == "7")
    }

    @Test func decimalsBeyondSixtyFourBits() {
        let big = Int128(UInt64.max) + 1
        #expect(text(big, scale: 0) == "18446744073709551616")
        #expect(text(-big, scale: 4) == "-1844674407370955.1616")
        let widest = DecimalText.power(38) - 1
        #expect(text(widest, scale: 38) == "0." + String(repeating: "9", count: 38))
        #expect(text(-widest, scale: 0) == "-" + String(repeating: "9", count: 38))
    }

    @Test func appendAddsTheSameText() {
        var bytes = Array("x=".utf8)
        DecimalText.append(-123_450, scale: 3, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x=-123.450")
    }

    @Test func integers() {
        func text(_ value: Int64) -> String { DecimalText.withText(value) { String(decoding: $0, as: UTF8.self) } }
        #expect(text(0) == "0")
        #expect(text(-1) == "-1")
        #expect(text(Int64.max) == "9223372036854775807")
        #expect(text(Int64.min) == "-9223372036854775808")
    }

    @Test func datesInEveryRange() {
        func text(_ days: Int32) -> String {
            CivilDate.withText(daysSinceEpoch: days) { String(decoding: $0, as: UTF8.self) }
        }
        // Day numbers from Python's datetime: (date(y, m, d) - date(1970, 1, 1)).days.
        #expect(text(0) == "1970-01-01")
        #expect(text(19_782) == "2024-02-29")
        #expect(text(-719_162) == "0001-01-01")
        #expect(text(2_932_896) == "9999-12-31")
        #expect(text(2_932_897) == "10000-01-01")
        #expect(text(-719_163) == "0000-12-31")
        #expect(text(-719_163 - 366) == "-0001-12-31")
        var bytes: [UInt8] = []
        CivilDate.append(daysSinceEpoch: 19_782, to: &bytes)
        #expect(bytes == Array("2024-02-29".utf8))
    }
}
