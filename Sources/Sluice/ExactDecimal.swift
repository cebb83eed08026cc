/// An exact decimal number: a signed 128-bit integer significand and a scale (digits after the point).
///
/// `123.4500` parses to significand `1234500`, scale `4`, and prints back as `123.4500`. No binary floating
/// point is ever involved.
public struct ExactDecimal: Sendable, Hashable {
    /// The value times 10^scale.
    public var significand: Int128
    /// How many digits follow the decimal point.
    public var scale: Int

    /// Creates a decimal from its scaled integer.
    public init(significand: Int128, scale: Int) {
        precondition((0...ColumnType.maximumDecimalPrecision).contains(scale), "scale out of range")
        self.significand = significand
        self.scale = scale
    }

    /// Parses decimal text (`-12.50`, `+3`, `.5`) exactly, keeping the scale as written.
    public init?(_ text: some StringProtocol) {
        var bytes = Array(text.utf8)
        let parsed = bytes.withUnsafeMutableBytes { DecimalText.parse(UnsafeRawBufferPointer($0)) }
        guard let parsed else { return nil }
        self.init(significand: parsed.significand, scale: parsed.scale)
    }

    /// The same value at another scale, or `nil` when digits would be lost or the result overflows.
    public func rescaled(to newScale: Int) -> ExactDecimal? {
        guard let value = DecimalText.rescale(significand, from: scale, to: newScale) else { return nil }
        return ExactDecimal(significand: value, scale: newScale)
    }

    /// The number of significant digits of the significand (at least 1).
    public var digitCount: Int { DecimalText.digitCount(significand) }
}

extension ExactDecimal: CustomStringConvertible {
    /// The canonical text: all `scale` digits after the point, a leading `-` for negatives.
    public var description: String { DecimalText.format(significand, scale: scale) }
}

extension ExactDecimal: Comparable {
    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        guard let left = lhs.rescaled(to: scale), let right = rhs.rescaled(to: scale) else {
            return lhs.significand < rhs.significand
        }
        return left.significand < right.significand
    }
}

extension ExactDecimal: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = ExactDecimal(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a decimal: '\(text)'")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Decimal text parsing and formatting on raw bytes, shared by readers and the canonical encoding.
public enum DecimalText {
    static let powersOfTen: [Int128] = {
        var powers: [Int128] = [1]
        for _ in 1...38 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    /// 10^exponent for 0 ≤ exponent ≤ 38.
    public static func power(_ exponent: Int) -> Int128 { powersOfTen[exponent] }

    /// Parses `[+-]digits[.digits]` (also `.5` and `5.`) from UTF-8 bytes; `nil` on anything else or overflow.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> (significand: Int128, scale: Int)? {
        var index = 0
        let count = bytes.count
        guard count > 0 else { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        var value: Int128 = 0
        var digits = 0
        var scale = 0
        var seenPoint = false
        var significantDigits = 0
        while index < count {
            let byte = bytes[index]
            if byte >= 48 && byte <= 57 {
                if value != 0 || byte != 48 { significantDigits += 1 }
                guard significantDigits <= 38 else { return nil }
                value = value &* 10 &+ Int128(byte &- 48)
                digits += 1
                if seenPoint { scale += 1 }
            } else if byte == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else {
                return nil
            }
            index += 1
        }
        guard digits > 0, scale <= 38 else { return nil }
        return (negative ? -value : value, scale)
    }

    /// Parses decimal text straight to a significand at `scale`, checking `precision`.
    public static func parse(
        _ bytes: UnsafeRawBufferPointer,
        precision: Int,
        scale: Int
    ) -> Result<Int128, DecimalParseFailure> {
        guard let parsed = parse(bytes) else { return .failure(.notADecimal) }
        guard let value = rescale(parsed.significand, from: parsed.scale, to: scale) else {
            return .failure(parsed.scale > scale ? .tooManyFractionDigits : .outOfRange)
        }
        guard digitCount(value) <= precision else { return .failure(.outOfRange) }
        return .success(value)
    }

    /// Why decimal text did not fit a column.
    public enum DecimalParseFailure: Error, Sendable {
        case notADecimal
        case tooManyFractionDigits
        case outOfRange
    }

    static func rescale(_ value: Int128, from scale: Int, to newScale: Int) -> Int128? {
        if newScale == scale { return value }
        if newScale > scale {
            let (result, overflow) = value.multipliedReportingOverflow(by: power(newScale - scale))
            return overflow ? nil : result
        }
        let divisor = power(scale - newScale)
        let (quotient, remainder) = value.quotientAndRemainder(dividingBy: divisor)
        return remainder == 0 ? quotient : nil
    }

    static func digitCount(_ value: Int128) -> Int {
        let magnitude = value.magnitude
        var digits = 1
        while digits < 39 && magnitude >= UInt128(powersOfTen[min(digits, 38)]) {
            if digits == 38 { return 39 }
            digits += 1
        }
        return digits
    }

    /// Formats a significand at `scale` as canonical text (`-0.0500`).
    public static func format(_ significand: Int128, scale: Int) -> String {
        var bytes: [UInt8] = []
        append(significand, scale: scale, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the canonical text of a significand at `scale` to `bytes`.
    public static func append(_ significand: Int128, scale: Int, to bytes: inout [UInt8]) {
        withText(significand, scale: scale) { bytes.append(contentsOf: $0) }
    }

    /// Calls `body` with the canonical text of a significand at `scale` (`-0.0500`), written into a buffer on the
    /// stack: no allocation, and the caller copies the bytes straight where they go (a `ByteBuffer`, a hash).
    /// Significands that fit 64 bits take a 64-bit path (128-bit division per digit is slow).
    @inlinable
    public static func withText<Result>(
        _ significand: Int128,
        scale: Int,
        _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        // 39 digits, a point, a sign and a leading zero at most.
        try withUnsafeTemporaryAllocation(byteCount: 48, alignment: 1) { buffer in
            var start = buffer.count
            if significand.magnitude <= UInt128(UInt64.max) {
                writeDigits(UInt64(significand.magnitude), scale: scale, before: &start, in: buffer)
            } else {
                writeDigits(significand.magnitude, scale: scale, before: &start, in: buffer)
            }
            if significand < 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            return try body(UnsafeRawBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// Calls `body` with the decimal text of an integer (`-42`), written on the stack.
    @inlinable
    public static func withText<Result>(
        _ value: Int64,
        _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        try withUnsafeTemporaryAllocation(byteCount: 24, alignment: 1) { buffer in
            var start = buffer.count
            writeDigits(value.magnitude, scale: 0, before: &start, in: buffer)
            if value < 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "-")
            }
            return try body(UnsafeRawBufferPointer(rebasing: buffer[start...]))
        }
    }

    /// Writes the digits of `magnitude` backwards ending before `start`, with the point after `scale` of them and
    /// at least one digit before it; moves `start` to the first byte written.
    @inlinable @inline(__always)
    static func writeDigits<Magnitude: UnsignedInteger>(
        _ magnitude: Magnitude,
        scale: Int,
        before start: inout Int,
        in buffer: UnsafeMutableRawBufferPointer
    ) {
        var magnitude = magnitude
        var written = 0
        repeat {
            if written == scale && scale > 0 {
                start -= 1
                buffer[start] = UInt8(ascii: ".")
            }
            let (quotient, remainder) = magnitude.quotientAndRemainder(dividingBy: 10)
            start -= 1
            buffer[start] = 48 &+ UInt8(truncatingIfNeeded: remainder)
            magnitude = quotient
            written += 1
        } while magnitude > 0 || written <= scale
    }
}
