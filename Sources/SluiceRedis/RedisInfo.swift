/// The `INFO` reply of a Redis server: `# Section` headers and `name:value` lines.
public struct RedisInfo: Sendable, Hashable {
    /// Every `name:value` pair, sections flattened (names are unique across sections).
    public var values: [String: String]

    /// Parses the text of an `INFO` reply (RESP3 servers send it as verbatim text; the `txt:` prefix is
    /// removed before).
    public init(parsing text: String) {
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard !line.hasPrefix("#"), let colon = line.firstIndex(of: ":") else { continue }
            values[String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        self.values = values
    }

    /// The value of `name` as an integer.
    public func integer(_ name: String) -> Int64? { values[name].flatMap { Int64($0) } }

    /// The number of keys and keys with an expiry in database `db`, from the `keyspace` section
    /// (`db0:keys=12,expires=3,avg_ttl=0`).
    public func keyspace(db: Int) -> (keys: Int64, expires: Int64)? {
        guard let text = values["db\(db)"] else { return nil }
        var keys: Int64?
        var expires: Int64?
        for field in text.split(separator: ",") {
            let parts = field.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            if parts[0] == "keys" { keys = Int64(parts[1]) }
            if parts[0] == "expires" { expires = Int64(parts[1]) }
        }
        guard let keys else { return nil }
        return (keys, expires ?? 0)
    }
}
