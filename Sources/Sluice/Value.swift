/// One value of any column type. Used off the hot paths: validators, rejects, samples, `Codable` input.
///
/// Batches store values columnar and typed (``ColumnValues``); `Value` is the row-at-a-time view.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case int64(Int64)
    case double(Double)
    case decimal(ExactDecimal)
    case string(String)
    case date(CivilDate)
    case timestamp(Timestamp)
    case bytes([UInt8])
    case json(String)

    /// Whether this is NULL.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value as an exact decimal when it is numeric (`int64`, `decimal`), else `nil`.
    public var decimalValue: ExactDecimal? {
        switch self {
        case .int64(let value): return ExactDecimal(significand: Int128(value), scale: 0)
        case .decimal(let value): return value
        default: return nil
        }
    }

    /// The value as a `Double` when it is numeric, else `nil`. For comparisons in validators only.
    public var doubleValue: Double? {
        switch self {
        case .int64(let value): return Double(value)
        case .double(let value): return value
        case .decimal(let value): return Double(value.description)
        default: return nil
        }
    }

    /// The value as display text (the canonical text of decimals, dates and timestamps), `nil` for NULL.
    public var text: String? {
        switch self {
        case .null: return nil
        case .bool(let value): return value ? "true" : "false"
        case .int64(let value): return String(value)
        case .double(let value): return String(value)
        case .decimal(let value): return value.description
        case .string(let value), .json(let value): return value
        case .date(let value): return value.description
        case .timestamp(let value): return value.description
        case .bytes(let value): return value.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        }
    }
}
