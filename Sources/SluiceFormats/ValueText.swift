import Sluice

/// Canonical text of typed column values, appended to byte buffers without a `String` per value: decimals at
/// the column's scale, dates `YYYY-MM-DD`, timestamps ISO 8601 UTC with microseconds, bytes as hex.
enum ValueText {
    /// Appends the text of non-NULL `row` of a non-string column. Strings and json are written by the caller,
    /// which knows how to quote them.
    static func appendScalar(_ column: ColumnValues, row: Int, to bytes: inout [UInt8]) {
        switch column {
        case .bool(let vector): appendBool(vector.values[row], to: &bytes)
        case .int64(let vector): appendInteger(vector.values[row], to: &bytes)
        case .double(let vector): bytes.append(contentsOf: String(vector.values[row]).utf8)
        case .decimal(let vector, let scale): appendDecimal(vector.values[row], scale: scale, to: &bytes)
        case .date(let vector): appendDate(vector.values[row], to: &bytes)
        case .timestamp(let vector): Timestamp.append(microsecondsSinceEpoch: vector.values[row], to: &bytes)
        case .bytes(let vector): appendHex(vector.values[row], to: &bytes)
        case .string(let vector), .json(let vector): bytes.append(contentsOf: vector.values[row].utf8)
        }
    }

    static func appendBool(_ value: Bool, to bytes: inout [UInt8]) {
        if value {
            bytes.append(contentsOf: [0x74, 0x72, 0x75, 0x65])
        } else {
            bytes.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])
        }
    }

    static func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(truncatingIfNeeded: magnitude % 10) + 48
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }

    /// Appends a decimal significand at `scale` exactly as ``Sluice/DecimalText/append(_:scale:to:)`` does, with a fast
    /// path for significands that fit 64 bits (128-bit division per digit is slow).
    static func appendDecimal(_ significand: Int128, scale: Int, to bytes: inout [UInt8]) {
        guard let small = Int64(exactly: significand), scale < 19 else {
            return DecimalText.append(significand, scale: scale, to: &bytes)
        }
        if small < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = small.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var count = 0
            repeat {
                buffer[count] = UInt8(truncatingIfNeeded: magnitude % 10) + 48
                magnitude /= 10
                count += 1
            } while magnitude > 0 || count <= scale
            for index in stride(from: count - 1, through: 0, by: -1) {
                bytes.append(buffer[index])
                if index == scale && scale > 0 { bytes.append(UInt8(ascii: ".")) }
            }
        }
    }

    /// Appends `YYYY-MM-DD` (as ``Sluice/CivilDate`` prints it) without intermediate arrays.
    static func appendDate(_ daysSinceEpoch: Int32, to bytes: inout [UInt8]) {
        let (year, month, day) = CivilDate(daysSinceEpoch: daysSinceEpoch).components
        guard (0...9999).contains(year) else { return CivilDate.append(daysSinceEpoch: daysSinceEpoch, to: &bytes) }
        bytes.append(UInt8(truncatingIfNeeded: year / 1000) + 48)
        bytes.append(UInt8(truncatingIfNeeded: year / 100 % 10) + 48)
        bytes.append(UInt8(truncatingIfNeeded: year / 10 % 10) + 48)
        bytes.append(UInt8(truncatingIfNeeded: year % 10) + 48)
        bytes.append(UInt8(ascii: "-"))
        bytes.append(UInt8(truncatingIfNeeded: month / 10) + 48)
        bytes.append(UInt8(truncatingIfNeeded: month % 10) + 48)
        bytes.append(UInt8(ascii: "-"))
        bytes.append(UInt8(truncatingIfNeeded: day / 10) + 48)
        bytes.append(UInt8(truncatingIfNeeded: day % 10) + 48)
    }

    static func appendHex(_ value: [UInt8], to bytes: inout [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        for byte in value {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
    }
}
