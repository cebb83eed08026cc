import Sluice

/// SQL text building: the one place identifiers are quoted and column types are mapped to PostgreSQL types.
///
/// Values are never spliced into SQL; they are bound as parameters or sent through `COPY`.
public enum PostgresSyntax {
    /// `name` as a quoted PostgreSQL identifier: wrapped in double quotes, inner double quotes doubled.
    public static func quote(_ name: String) -> String {
        "\"" + doublingQuotes(name) + "\""
    }

    /// `name` with its double quotes doubled, for APIs that wrap a name in double quotes themselves (postgres-nio's
    /// `copyFrom(table:columns:)` writes `"<name>"`).
    public static func doublingQuotes(_ name: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(name.utf8.count)
        for character in name {
            if character == "\"" { escaped.append("\"") }
            escaped.append(character)
        }
        return escaped
    }

    /// The quoted names of `columns`, comma-separated, each optionally prefixed by a table alias.
    static func list(_ columns: [String], prefix: String? = nil) -> String {
        columns.map { column in prefix.map { $0 + "." + quote(column) } ?? quote(column) }.joined(separator: ", ")
    }

    /// `a."k1" = b."k1" AND a."k2" = b."k2"` over `columns`.
    static func equal(_ columns: [String], _ left: String, _ right: String) -> String {
        columns.map { "\(left).\(quote($0)) = \(right).\(quote($0))" }.joined(separator: " AND ")
    }

    /// A column reference that compares by value: JSON has no equality operator, so it is compared as text.
    static func comparable(_ column: Column, prefix: String) -> String {
        let reference = prefix + "." + quote(column.name)
        return column.type == .json ? reference + "::text" : reference
    }

    /// `ROW(t."a", t."b") IS DISTINCT FROM ROW(s."a", s."b")` over `columns`.
    static func distinct(_ columns: [Column], _ left: String, _ right: String) -> String {
        let lhs = columns.map { comparable($0, prefix: left) }.joined(separator: ", ")
        let rhs = columns.map { comparable($0, prefix: right) }.joined(separator: ", ")
        return "ROW(\(lhs)) IS DISTINCT FROM ROW(\(rhs))"
    }

    /// The PostgreSQL type a column of `type` gets.
    ///
    /// `json` is stored as `json`, not `jsonb`: `json` keeps the text exactly as loaded, so values read back digest
    /// like the input (`jsonb` would normalise whitespace and key order).
    public static func declaredType(_ type: ColumnType) -> String {
        switch type {
        case .bool: return "boolean"
        case .int64: return "bigint"
        case .double: return "double precision"
        case .decimal(let precision, let scale): return "numeric(\(precision),\(scale))"
        case .string: return "text"
        case .date: return "date"
        case .timestamp: return "timestamptz"
        case .bytes: return "bytea"
        case .json: return "json"
        }
    }

    /// `"name" type [NOT NULL]`.
    static func columnDefinition(_ column: Column) -> String {
        quote(column.name) + " " + declaredType(column.type) + (column.isNullable ? "" : " NOT NULL")
    }

    /// The select expression that reads a column back as text Sluice parses exactly (`bytea` stays binary).
    static func readExpression(_ column: Column, prefix: String? = nil) -> String {
        let reference = prefix.map { $0 + "." + quote(column.name) } ?? quote(column.name)
        return column.type == .bytes ? reference : reference + "::text"
    }

    /// The read expressions of `columns`, comma-separated.
    static func readList(_ columns: [Column], prefix: String? = nil) -> String {
        columns.map { readExpression($0, prefix: prefix) }.joined(separator: ", ")
    }

    /// The column type for a PostgreSQL type as `format_type` names it, for tables Sluice did not create.
    static func columnType(formatted: String) -> ColumnType {
        let name = formatted.lowercased()
        switch name {
        case "boolean": return .bool
        case "bigint", "integer", "smallint": return .int64
        case "double precision", "real": return .double
        case "date": return .date
        case "timestamp with time zone", "timestamp without time zone": return .timestamp
        case "bytea": return .bytes
        case "json", "jsonb": return .json
        default:
            if name.hasPrefix("numeric("), let type = ColumnType(name: name) { return type }
            return .string
        }
    }
}

extension PostgresSyntax {
    /// A column as message text, like the SQLite target shows it: timestamps ISO 8601 UTC with microseconds.
    static func displayExpression(_ column: Column, prefix: String) -> String {
        let reference = prefix + "." + quote(column.name)
        switch column.type {
        case .timestamp: return #"to_char(\#(reference) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"#
        case .bytes: return "encode(\(reference), 'hex')"
        default: return reference + "::text"
        }
    }
}
