import Testing

@testable import Sluice

@Suite("Exact decimals, dates and timestamps")
struct ValueTypesTests {
    @Test(arguments: ["123.4500", "-0.0500", "0.0000", "98765432109876.1234", "7"])
    func decimalRoundTripsExactly(text: String) throws {
        let decimal = try #require(ExactDecimal(text))
        #expect(decimal.description == text)
    }

    @Test func decimalParsesSignsAndBarePoints() throws {
        #expect(ExactDecimal("+3.10")?.description == "3.10")
        #expect(ExactDecimal(".5")?.description == "0.5")
        #expect(ExactDecimal("5.")?.description == "5")
        #expect(ExactDecimal("1e5") == nil)
        #expect(ExactDecimal("") == nil)
        #expect(ExactDecimal("-") == nil)
        #expect(ExactDecimal("1.2.3") == nil)
    }

    @Test func decimalRescalesOnlyWhenExact() throws {
        let value = try #require(ExactDecimal("12.50"))
        #expect(value.rescaled(to: 4)?.description == "12.5000")
        #expect(value.rescaled(to: 1)?.description == "12.5")
        #expect(value.rescaled(to: 0) == nil)
    }

    @Test func decimalTextParsingChecksPrecisionAndScale() {
        func parse(_ text: String, _ precision: Int, _ scale: Int) -> Result<Int128, DecimalText.DecimalParseFailure> {
            var bytes = Array(text.utf8)
            return bytes.withUnsafeMutableBytes {
                DecimalText.parse(UnsafeRawBufferPointer($0), precision: precision, scale: scale)
            }
        }
        #expect((try? parse("123.45", 18, 4).get()) == 1_234_500)
        #expect((try? parse("123.45678", 18, 4).get()) == nil)
        #expect((try? parse("123.45670", 18, 4).get()) == 1_234_567)
        #expect((try? parse("12345678901234567", 18, 4).get()) == nil)
        #expect((try? parse("abc", 18, 4).get()) == nil)
    }

    @Test func decimalsCompareByValueAcrossScales() throws {
        #expect(try #require(ExactDecimal("1.5")) < #require(ExactDecimal("1.51")))
        #expect(!(try #require(ExactDecimal("2.00")) < #require(ExactDecimal("2"))))
    }

    @Test func datesParseAndFormat() throws {
        let date = try #require(CivilDate("2024-02-29"))
        #expect(date.description == "2024-02-29")
        #expect(date.components.year == 2024 && date.components.month == 2 && date.components.day == 29)
        #expect(CivilDate("1970-01-01")?.daysSinceEpoch == 0)
        #expect(CivilDate("1969-12-31")?.daysSinceEpoch == -1)
        #expect(CivilDate("2023-02-29") == nil)
        #expect(CivilDate("2023-13-01") == nil)
        #expect(CivilDate("2023-1-01") == nil)
        #expect(CivilDate("2024-01-06")?.weekday == 6)
    }

    @Test func timestampsParseOffsetsAndFractions() throws {
        #expect(Timestamp("1970-01-01T00:00:00Z")?.microsecondsSinceEpoch == 0)
        #expect(Timestamp("1970-01-01T01:00:00+01:00")?.microsecondsSinceEpoch == 0)
        #expect(Timestamp("1970-01-01 00:00:01.5")?.microsecondsSinceEpoch == 1_500_000)
        #expect(Timestamp("1970-01-01T00:00:00.000001Z")?.microsecondsSinceEpoch == 1)
        #expect(Timestamp("2025-08-01")?.description == "2025-08-01T00:00:00.000000Z")
        #expect(Timestamp("2025-08-01T14:30:00.123456Z")?.description == "2025-08-01T14:30:00.123456Z")
        #expect(Timestamp("1969-12-31T23:59:59.999999Z")?.microsecondsSinceEpoch == -1)
        #expect(Timestamp("2025-08-01T25:00:00Z") == nil)
        #expect(Timestamp("yesterday") == nil)
    }

    @Test func columnTypesParseFromNames() {
        #expect(ColumnType(name: "decimal(18,4)") == .decimal(precision: 18, scale: 4))
        #expect(ColumnType(name: "NUMERIC(10, 2)") == .decimal(precision: 10, scale: 2))
        #expect(ColumnType(name: "decimal(39,2)") == nil)
        #expect(ColumnType(name: "decimal(4,5)") == nil)
        #expect(ColumnType(name: "bigint") == .int64)
        #expect(ColumnType(name: "text") == .string)
        #expect(ColumnType(name: "whatever") == nil)
        for type in [
            ColumnType.bool, .int64, .double, .decimal(precision: 38, scale: 10), .string, .date, .timestamp,
            .bytes, .json,
        ] {
            #expect(ColumnType(name: type.name) == type)
        }
    }
}
