import Sluice

/// Writes the canonical text of decimals, dates and timestamps into caller-owned memory, without allocating:
/// the text SQLite stores for those types (`123.4500`, `2024-01-02`, `2024-01-02T15:30:00.000000Z`).
///
/// The output is identical to `ExactDecimal.description`, `CivilDate.description` and `Timestamp.description`.
enum CanonicalText {
    /// Bytes a slot must have for any value written here.
    static let slotSize = 64

    /// Writes a decimal's text ending at `end` (exclusive); returns its first byte.
    static func writeDecimal(
        _ significand: Int128,
        scale: Int,
        endingAt end: UnsafeMutablePointer<UInt8>
    )
        -> UnsafeMutablePointer<UInt8>
    {
        var position = end
        var written = 0
        let magnitude = significand.magnitude
        if magnitude <= UInt128(UInt64.max) {
            var remaining = UInt64(magnitude)
            repeat {
                let (quotient, digit) = remaining.quotientAndRemainder(dividingBy: 10)
                write(UInt8(truncatingIfNeeded: digit), &position, &written, scale)
                remaining = quotient
            } while remaining > 0 || written <= scale
        } else {
            var remaining = magnitude
            repeat {
                let (quotient, digit) = remaining.quotientAndRemainder(dividingBy: 10)
                write(UInt8(truncatingIfNeeded: digit), &position, &written, scale)
                remaining = quotient
            } while remaining > 0 || written <= scale
        }
        if significand < 0 {
            position -= 1
            position.pointee = UInt8(ascii: "-")
        }
        return position
    }

    @inline(__always)
    private static func write(
        _ digit: UInt8,
        _ position: inout UnsafeMutablePointer<UInt8>,
        _ written: inout Int,
        _ scale: Int
    ) {
        position -= 1
        position.pointee = 48 &+ digit
        written += 1
        if written == scale {
            position -= 1
            position.pointee = UInt8(ascii: ".")
        }
    }

    /// Writes `YYYY-MM-DD` at `start`; returns the byte count.
    static func writeDate(daysSinceEpoch days: Int32, at start: UnsafeMutablePointer<UInt8>) -> Int {
        let (year, month, day) = CivilDate(daysSinceEpoch: days).components
        guard (0...9999).contains(year) else { return copy(CivilDate(daysSinceEpoch: days).description, to: start) }
        writePadded(year, width: 4, at: start)
        start[4] = UInt8(ascii: "-")
        writePadded(month, width: 2, at: start + 5)
        start[7] = UInt8(ascii: "-")
        writePadded(day, width: 2, at: start + 8)
        return 10
    }

    /// Writes `YYYY-MM-DDTHH:MM:SS.ffffffZ` at `start`; returns the byte count.
    static func writeTimestamp(microsecondsSinceEpoch micros: Int64, at start: UnsafeMutablePointer<UInt8>) -> Int {
        let perDay: Int64 = 86_400_000_000
        var days = micros / perDay
        var rest = micros % perDay
        if rest < 0 {
            rest += perDay
            days -= 1
        }
        guard let day32 = Int32(exactly: days), (0...9999).contains(CivilDate(daysSinceEpoch: day32).components.year)
        else { return copy(Timestamp(microsecondsSinceEpoch: micros).description, to: start) }
        var position = start + writeDate(daysSinceEpoch: day32, at: start)
        let seconds = Int(rest / 1_000_000)
        position.pointee = UInt8(ascii: "T")
        writePadded(seconds / 3600, width: 2, at: position + 1)
        position[3] = UInt8(ascii: ":")
        writePadded(seconds / 60 % 60, width: 2, at: position + 4)
        position[6] = UInt8(ascii: ":")
        writePadded(seconds % 60, width: 2, at: position + 7)
        position[9] = UInt8(ascii: ".")
        writePadded(Int(rest % 1_000_000), width: 6, at: position + 10)
        position[16] = UInt8(ascii: "Z")
        position += 17
        return position - start
    }

    @inline(__always)
    private static func writePadded(_ value: Int, width: Int, at start: UnsafeMutablePointer<UInt8>) {
        var remaining = value
        for index in stride(from: width - 1, through: 0, by: -1) {
            start[index] = 48 &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
        }
    }

    private static func copy(_ text: String, to start: UnsafeMutablePointer<UInt8>) -> Int {
        var count = 0
        for byte in text.utf8.prefix(slotSize) {
            start[count] = byte
            count += 1
        }
        return count
    }
}
