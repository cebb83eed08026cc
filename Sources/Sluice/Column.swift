/// One column of a ``Schema``: a name, a type and whether it may hold NULL.
public struct Column: Sendable, Hashable, Codable {
    /// The column's name, as it appears in the target.
    public var name: String
    /// The column's type.
    public var type: ColumnType
    /// Whether the column may hold NULL. Key columns never may.
    public var isNullable: Bool

    /// Creates a column. Columns are nullable unless said otherwise.
    public init(_ name: String, _ type: ColumnType, isNullable: Bool = true) {
        self.name = name
        self.type = type
        self.isNullable = isNullable
    }

    enum CodingKeys: String, CodingKey {
        case name
        case type
        case isNullable = "nullable"
    }

    /// Decodes `{"name": "close", "type": "decimal(18,4)", "nullable": true}`; `nullable` defaults to true.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        type = try container.decode(ColumnType.self, forKey: .type)
        isNullable = try container.decodeIfPresent(Bool.self, forKey: .isNullable) ?? true
    }
}
