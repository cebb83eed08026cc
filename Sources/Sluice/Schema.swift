import Crypto

/// An ordered list of columns and the natural key that identifies a record.
public struct Schema: Sendable, Hashable, Codable {
    /// The columns, in the order the source gives them.
    public var columns: [Column]
    /// The natural key (for example `symbol, date`); empty when the data has none.
    public var keyColumns: [String]

    /// Creates a schema. Key columns are made non-nullable.
    public init(columns: [Column], keyColumns: [String] = []) {
        self.columns = columns.map { column in
            var column = column
            if keyColumns.contains(column.name) { column.isNullable = false }
            return column
        }
        self.keyColumns = keyColumns
    }

    enum CodingKeys: String, CodingKey {
        case columns
        case keyColumns = "key"
    }

    /// Decodes `{"columns": [...], "key": ["symbol", "date"]}`; `key` may be omitted.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            columns: try container.decode([Column].self, forKey: .columns),
            keyColumns: try container.decodeIfPresent([String].self, forKey: .keyColumns) ?? []
        )
    }

    /// The column names, in order.
    public var columnNames: [String] { columns.map(\.name) }

    /// The position of the column called `name`, if there is one.
    public func index(of name: String) -> Int? {
        columns.firstIndex { $0.name == name }
    }

    /// The column called `name`, if there is one.
    public func column(named name: String) -> Column? {
        index(of: name).map { columns[$0] }
    }

    /// The positions of the key columns, in key order.
    public var keyIndices: [Int] { keyColumns.compactMap { index(of: $0) } }

    /// The same columns with another key.
    public func withKey(_ keyColumns: [String]) -> Schema {
        Schema(columns: columns, keyColumns: keyColumns)
    }

    /// The schema version recorded with every data version: the first 16 hex digits of the SHA-256 of the
    /// columns (name, type, nullability, in order) and the key.
    public var fingerprint: String {
        var text = ""
        for column in columns {
            text += "\(column.name)\u{1F}\(column.type.name)\u{1F}\(column.isNullable ? "null" : "not null")\u{1E}"
        }
        text += "key\u{1F}" + keyColumns.joined(separator: "\u{1F}")
        let digest = SHA256.hash(data: Array(text.utf8))
        return digest.prefix(8).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
