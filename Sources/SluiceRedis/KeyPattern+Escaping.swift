extension KeyPattern {
    /// The glob characters a pattern escapes to match them literally: `*`, `?`, `[`, `]` and `\`.
    static let globCharacters: Set<Character> = ["*", "?", "[", "]", "\\"]

    /// `text` with every glob character escaped by a backslash, so that as a pattern it matches exactly `text`:
    /// `a*` becomes `a\*`.
    public static func escaped(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            if globCharacters.contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// The pattern of every key that starts with `prefix` taken literally (`prefix` escaped, then `*`).
    public init(prefix: String) {
        self.init(Self.escaped(prefix) + "*")
    }
}
