/// Parsers from raw UTF-8 field bytes to typed values: the inner loop of every text reader.
public enum FieldParser {
    /// Parses a signed decimal integer; `nil` on anything else or overflow.
    @inlinable
    public static func int64(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        let count = bytes.count
        guard count > 0 else { return nil }
        var index = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
            guard count > 1 else { return nil }
        }
        var value: Int64 = 0
        while index < count {
            let digit = bytes[index] &- 48
            guard digit < 10 else { return nil }
            let (multiplied, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (added, overflow2) =
                negative
                ? multiplied.subtractingReportingOverflow(Int64(digit))
                : multiplied.addingReportingOverflow(Int64(digit))
            guard !overflow1 && !overflow2 else { return nil }
            value = added
            index += 1
        }
        return value
    }

    /// Parses a floating-point number (`1.5`, `-2e10`, `inf`, `nan`).
    public static func double(_ bytes: UnsafeRawBufferPointer) -> Double? {
        guard !bytes.isEmpty, bytes.count < 400 else { return nil }
        return Double(String(decoding: bytes, as: UTF8.self))
    }

    /// Parses `true`/`false` (any case), `t`/`f`, `yes`/`no`, `1`/`0`.
    public static func bool(_ bytes: UnsafeRawBufferPointer) -> Bool? {
        switch String(decoding: bytes, as: UTF8.self).lowercased() {
        case "true", "t", "yes", "y", "1": return true
        case "false", "f", "no", "n", "0": return false
        default: return nil
        }
    }
}

/// Exact conversions between ``Value``s and column types; `nil` where the conversion is not exact or the value
/// must go through text parsing.
public enum ValueConversion {
    /// `value` as the Swift representation `type` stores, or `nil`.
    public static func convert(_ value: Value, to type: ColumnType) -> Value? {
        switch (value, type) {
        case (.bool, .bool), (.int64, .int64), (.double, .double), (.string, .string), (.date, .date),
            (.timestamp, .timestamp), (.bytes, .bytes), (.json, .json):
            return value
        case (.int64(let v), .double): return .double(Double(v))
        case (.int64(let v), .decimal(let precision, let scale)):
            let decimal = ExactDecimal(significand: Int128(v), scale: 0)
            guard let scaled = decimal.rescaled(to: scale), scaled.digitCount <= precision else { return nil }
            return .decimal(scaled)
        case (.decimal(let v), .decimal(let precision, let scale)):
            guard let scaled = v.rescaled(to: scale), scaled.digitCount <= precision else { return nil }
            return .decimal(scaled)
        case (.date(let v), .timestamp):
            return .timestamp(Timestamp(microsecondsSinceEpoch: Int64(v.daysSinceEpoch) * 86_400_000_000))
        case (.string(let v), .json): return .json(v)
        default: return nil
        }
    }
}
