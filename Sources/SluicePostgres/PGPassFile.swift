/// The entries of a PostgreSQL password file (`~/.pgpass`): `hostname:port:database:username:password` per line,
/// `*` matching anything in the first four fields, `\:` and `\\` escaping, `#` starting a comment line.
public struct PGPassFile: Sendable, Hashable {
    /// One line of the file.
    public struct Entry: Sendable, Hashable {
        /// Host name, or `*`.
        public var host: String
        /// Port, or `*`.
        public var port: String
        /// Database, or `*`.
        public var database: String
        /// User name, or `*`.
        public var username: String
        /// The password.
        public var password: String

        /// Whether the entry applies to a connection to `database` on `host:port` as `username`.
        public func matches(host: String, port: Int, database: String, username: String) -> Bool {
            Self.field(self.host, host) && Self.field(self.port, String(port))
                && Self.field(self.database, database) && Self.field(self.username, username)
        }

        private static func field(_ pattern: String, _ value: String) -> Bool {
            pattern == "*" || pattern == value
        }
    }

    /// The entries, in file order.
    public var entries: [Entry]

    /// Parses the text of a password file; malformed lines are ignored, as libpq does.
    public init(text: String) {
        entries = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let fields = Self.fields(of: line)
            guard fields.count == 5 else { return nil }
            return Entry(
                host: fields[0],
                port: fields[1],
                database: fields[2],
                username: fields[3],
                password: fields[4]
            )
        }
    }

    /// The password of the first entry that matches, as libpq picks it.
    public func password(host: String, port: Int, database: String, username: String) -> String? {
        entries.first { $0.matches(host: host, port: port, database: database, username: username) }?.password
    }

    /// Splits a line at unescaped colons; the fifth field (the password) takes the rest of the line.
    private static func fields(of line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
