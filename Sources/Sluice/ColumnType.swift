/// The type of a column, shared by every target.
///
/// Decimals are exact: they travel as a scaled integer (``ExactDecimal``), never through a binary float.
public enum ColumnType: Sendable, Hashable {
    case bool
    case int64
    case double
    /// An exact decimal with at most `precision` digits, `scale` of them after the point (precision ≤ 38).
    case decimal(precision: Int, scale: Int)
    case string
    /// A calendar date, `YYYY-MM-DD`.
    case date
    /// An instant in UTC with microsecond resolution.
    case timestamp
    case bytes
    case json

    /// The largest precision a decimal column can have (it must fit a signed 128-bit integer).
    public static let maximumDecimalPrecision = 38

    /// The type's name as Sluice writes it in schemas, errors and `sluice inspect`: `decimal(18,4)`, `date`, ….
    public var name: String {
        switch self {
        case .bool: return "bool"
        case .int64: return "int64"
        case .double: return "double"
        case .decimal(let precision, let scale): return "decimal(\(precision),\(scale))"
        case .string: return "string"
        case .date: return "date"
        case .timestamp: return "timestamp"
        case .bytes: return "bytes"
        case .json: return "json"
        }
    }

    /// Parses a type name as written by ``name`` (`decimal(18,4)`, `int64`, …); also accepts common aliases
    /// (`int`, `integer`, `bigint`, `text`, `varchar`, `numeric(p,s)`, `float`, `boolean`).
    public init?(name: String) {
        let lowered = name.lowercased().filter { !$0.isWhitespace }
        switch lowered {
        case "bool", "boolean": self = .bool
        case "int64", "int", "integer", "bigint", "long": self = .int64
        case "double", "float", "float64", "real": self = .double
        case "string", "text", "varchar", "str": self = .string
        case "date": self = .date
        case "timestamp", "datetime", "timestamptz": self = .timestamp
        case "bytes", "blob", "binary": self = .bytes
        case "json", "jsonb": self = .json
        default:
            guard let open = lowered.firstIndex(of: "("), lowered.hasSuffix(")") else { return nil }
            let head = lowered[..<open]
            guard head == "decimal" || head == "numeric" else { return nil }
            let arguments = lowered[lowered.index(after: open)..<lowered.index(before: lowered.endIndex)]
                .split(separator: ",")
            guard arguments.count == 2, let precision = Int(arguments[0]), let scale = Int(arguments[1]),
                (1...Self.maximumDecimalPrecision).contains(precision), (0...precision).contains(scale)
            else { return nil }
            self = .decimal(precision: precision, scale: scale)
        }
    }

    /// A one-byte tag used by the canonical row encoding (see ``RowDigester``). A file format: never renumber.
    var canonicalTag: UInt8 {
        switch self {
        case .bool: return 1
        case .int64: return 2
        case .double: return 3
        case .decimal: return 4
        case .string: return 5
        case .date: return 6
        case .timestamp: return 7
        case .bytes: return 8
        case .json: return 9
        }
    }
}

extension ColumnType: CustomStringConvertible {
    public var description: String { name }
}

extension ColumnType: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let type = ColumnType(name: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "unknown column type '\(text)'"
            )
        }
        self = type
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
