import Sluice

/// SQL text building: the one place identifiers are quoted and column types are mapped to SQLite storage.
///
/// Values are never spliced into SQL; they are always bound as statement parameters.
enum SQLiteSyntax {
    /// `name` as a quoted SQLite identifier: wrapped in double quotes, inner double quotes doubled.
    static func quote(_ name: String) -> String {
        var quoted = "\""
        for character in name {
            if character == "\"" { quoted.append("\"") }
            quoted.append(character)
        }
        quoted.append("\"")
        return quoted
    }

    /// The quoted names of `columns`, comma-separated, each optionally prefixed by a table alias.
    static func list(_ columns: [String], prefix: String? = nil) -> String {
        columns.map { column in prefix.map { $0 + "." + quote(column) } ?? quote(column) }.joined(separator: ", ")
    }

    /// `a.k1 = b.k1 AND a.k2 = b.k2` over `columns`.
    static func equal(_ columns: [String], _ left: String, _ right: String) -> String {
        columns.map { "\(left).\(quote($0)) = \(right).\(quote($0))" }.joined(separator: " AND ")
    }

    /// `?, ?, ?` with `count` placeholders.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// The declared type a column of `type` gets. The names are chosen for their SQLite affinity: decimals,
    /// dates and timestamps are `TEXT`, so their canonical text is stored exactly and never turned into a
    /// binary float.
    static func declaredType(_ type: ColumnType) -> String {
        switch type {
        case .bool, .int64: return "INTEGER"
        case .double: return "REAL"
        case .decimal, .string, .date, .timestamp, .json: return "TEXT"
        case .bytes: return "BLOB"
        }
    }

    /// The column type Sluice assumes for a table it did not create, from the declared type's affinity.
    static func columnType(declared: String) -> ColumnType {
        let upper = declared.uppercased()
        if upper.contains("INT") { return .int64 }
        if upper.contains("CHAR") || upper.contains("CLOB") || upper.contains("TEXT") { return .string }
        if upper.contains("BLOB") || upper.isEmpty { return .bytes }
        if upper.contains("REAL") || upper.contains("FLOA") || upper.contains("DOUB") { return .double }
        if upper.contains("BOOL") { return .bool }
        if upper.hasPrefix("DATETIME") || upper.hasPrefix("TIMESTAMP") { return .timestamp }
        if upper == "DATE" { return .date }
        return .string
    }

    /// `"name" TYPE [NOT NULL]`, as in `CREATE TABLE` and `ALTER TABLE … ADD COLUMN`.
    static func columnDefinition(_ column: Column) -> String {
        quote(column.name) + " " + declaredType(column.type) + (column.isNullable ? "" : " NOT NULL")
    }

    /// Whether `name` is reserved for Sluice's own tables or SQLite's.
    /// Table-name prefixes a load may not use: Sluice's own tables and SQLite's catalog.
    static let reservedPrefixes = ["_sluice_", "sqlite_"]

    static func isReserved(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return reservedPrefixes.contains { lowered.hasPrefix($0) }
    }
}
