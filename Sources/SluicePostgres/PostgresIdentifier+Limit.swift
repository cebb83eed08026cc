import Sluice

/// The names users give — tables and columns — refused when PostgreSQL would truncate them.
///
/// The server keeps at most ``PostgresIdentifier/maximumBytes`` bytes of an identifier and drops the rest without a
/// word, so two names that differ only after byte 63 would share one table (or one column). Sluice refuses such a
/// name, in one line naming the limit, before it creates, reads or locks anything.
extension PostgresIdentifier {
    /// Checks that PostgreSQL keeps `table` whole.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`invalidRequest`): `table 'x…': the name is 70 bytes; PostgreSQL keeps at
    ///   most 63 bytes of an identifier (NAMEDATALEN - 1), so longer names would be truncated and could share
    ///   storage`.
    static func check(table: String) throws {
        guard let problem = problem(with: table) else { return }
        throw SluiceError(.invalidRequest, "table '\(shown(table))': \(problem)")
    }

    /// Checks `table` and every column of `schema`.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`invalidRequest`) naming the table and the first column that is too long.
    static func check(table: String, schema: Schema) throws {
        try check(table: table)
        for column in schema.columnNames {
            guard let problem = problem(with: column) else { continue }
            throw SluiceError(.invalidRequest, "table '\(shown(table))': column '\(shown(column))': \(problem)")
        }
    }

    /// Why the server would not keep `name` whole, or `nil` when it would.
    static func problem(with name: String) -> String? {
        let bytes = name.utf8.count
        guard bytes > maximumBytes else { return nil }
        return "the name is \(bytes) bytes; PostgreSQL keeps at most \(maximumBytes) bytes of an identifier "
            + "(NAMEDATALEN - 1), so longer names would be truncated and could share storage"
    }

    /// `name` for a one-line message: control characters escaped, cut after 100 characters (far enough to tell
    /// apart two names that share the first 63 bytes, short enough for a terminal).
    static func shown(_ name: String) -> String {
        var result = ""
        for scalar in name.unicodeScalars.prefix(100) {
            if scalar.value < 0x20 || scalar.value == 0x7f {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return name.unicodeScalars.count > 100 ? result + "…" : result
    }
}
