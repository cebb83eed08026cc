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
        DecimalText.withText(value) { bytes.append(contentsOf: $0) }
    }

    static func appendDecimal(_ significand: Int128, scale: Int, to bytes: inout [UInt8]) {
        DecimalText.append(significand, scale: scale, to: &bytes)
    }

    static func appendDate(_ daysSinceEpoch: Int32, to bytes: inout [UInt8]) {
        CivilDate.append(daysSinceEpoch: daysSinceEpoch, to: &bytes)
    }

    static func appendHex(_ value: [UInt8], to bytes: inout [UInt8]) {
        let digits = Array("0123456789abcdef".utf8)
        for byte in value {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
    }
}
