import Foundation

/// An instant in UTC with microsecond resolution, stored as microseconds since 1970-01-01T00:00:00Z.
public struct Timestamp: Sendable, Hashable, Comparable, Codable {
    /// Microseconds since the Unix epoch.
    public var microsecondsSinceEpoch: Int64

    /// Creates a timestamp from microseconds since the Unix epoch.
    public init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    /// Parses ISO 8601: `YYYY-MM-DD[T| ]HH:MM[:SS[.ffffff]][Z|±HH:MM]` (no offset means UTC), or a bare date.
    public init?(_ text: some StringProtocol) {
        var bytes = Array(text.utf8)
        guard let micros = bytes.withUnsafeMutableBytes({ Timestamp.parse(UnsafeRawBufferPointer($0)) }) else {
            return nil
        }
        self.microsecondsSinceEpoch = micros
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Timestamp(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a timestamp: '\(text)'")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Parses ISO 8601 from UTF-8 bytes into microseconds since the epoch.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard bytes.count >= 10, let days = CivilDate.parse(UnsafeRawBufferPointer(rebasing: bytes[0..<10])) else {
            return nil
        }
        var micros = Int64(days) * 86_400_000_000
        if bytes.count == 10 { return micros }
        guard bytes.count >= 16,
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " ")
                || bytes[10] == UInt8(ascii: "t"),
            bytes[13] == UInt8(ascii: ":"),
            let hour = CivilDate.digits(bytes, 11, 2), let minute = CivilDate.digits(bytes, 14, 2),
            hour < 24, minute < 60
        else { return nil }
        var index = 16
        var second = 0
        var fraction: Int64 = 0
        if index < bytes.count && bytes[index] == UInt8(ascii: ":") {
            guard index + 3 <= bytes.count, let value = CivilDate.digits(bytes, index + 1, 2), value < 61 else {
                return nil
            }
            second = value
            index += 3
            if index < bytes.count && (bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",")) {
                index += 1
                var digits = 0
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    if digits < 6 { fraction = fraction * 10 + Int64(bytes[index] - 48) }
                    digits += 1
                    index += 1
                }
                guard digits > 0 else { return nil }
                for _ in min(digits, 6)..<6 { fraction *= 10 }
            }
        }
        micros += Int64(hour * 3600 + minute * 60 + second) * 1_000_000 + fraction
        if index == bytes.count { return micros }
        let sign = bytes[index]
        if (sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z")) && index + 1 == bytes.count { return micros }
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else { return nil }
        let rest = bytes.count - index - 1
        let offsetHours: Int
        let offsetMinutes: Int
        if rest == 5 && bytes[index + 3] == UInt8(ascii: ":") {
            guard let h = CivilDate.digits(bytes, index + 1, 2), let m = CivilDate.digits(bytes, index + 4, 2) else {
                return nil
            }
            (offsetHours, offsetMinutes) = (h, m)
        } else if rest == 4 || rest == 2 {
            guard let h = CivilDate.digits(bytes, index + 1, 2) else { return nil }
            let m = rest == 4 ? CivilDate.digits(bytes, index + 3, 2) : 0
            guard let m else { return nil }
            (offsetHours, offsetMinutes) = (h, m)
        } else {
            return nil
        }
        let offset = Int64(offsetHours * 3600 + offsetMinutes * 60) * 1_000_000
        return sign == UInt8(ascii: "+") ? micros - offset : micros + offset
    }

    /// Appends `YYYY-MM-DDTHH:MM:SS.ffffffZ` to `bytes`.
    public static func append(microsecondsSinceEpoch micros: Int64, to bytes: inout [UInt8]) {
        let perDay: Int64 = 86_400_000_000
        var days = micros / perDay
        var rest = micros % perDay
        if rest < 0 {
            rest += perDay
            days -= 1
        }
        CivilDate.append(daysSinceEpoch: Int32(days), to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        let seconds = Int(rest / 1_000_000)
        CivilDate.appendPadded(seconds / 3600, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        CivilDate.appendPadded(seconds / 60 % 60, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        CivilDate.appendPadded(seconds % 60, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        CivilDate.appendPadded(Int(rest % 1_000_000), width: 6, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
    }
}

extension Timestamp: CustomStringConvertible {
    /// ISO 8601 in UTC with microseconds: `2025-08-01T14:30:00.000000Z`.
    public var description: String {
        var bytes: [UInt8] = []
        Timestamp.append(microsecondsSinceEpoch: microsecondsSinceEpoch, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Timestamp {
    /// The current time, to the microsecond.
    public static var now: Timestamp {
        Timestamp(microsecondsSinceEpoch: Int64((Date().timeIntervalSince1970 * 1_000_000).rounded()))
    }
}
