/// A record that was not loaded, and why: a field that does not fit its column, a wrong number of fields, or a
/// failed validation rule. Written to reject files as one JSON line and counted in the metrics.
public struct RowReject: Error, Sendable, Hashable {
    /// The file path or label the record came from.
    public var source: String
    /// The 1-based line of the record (0 when unknown).
    public var line: Int
    /// The 1-based character position in the line where the problem starts (0 when unknown).
    public var position: Int
    /// The column concerned, if one is.
    public var column: String?
    /// What was wrong, as a short sentence fragment: `expected decimal(18,4), found "abc"`.
    public var reason: String
    /// The rule that rejected the record (`parse`, `not-null`, `range`, …).
    public var rule: String

    /// Creates a reject.
    public init(
        source: String,
        line: Int,
        position: Int = 0,
        column: String? = nil,
        reason: String,
        rule: String = "parse"
    ) {
        self.source = source
        self.line = line
        self.position = position
        self.column = column
        self.reason = reason
        self.rule = rule
    }
}

extension RowReject: CustomStringConvertible {
    /// One line: `prices.csv:12:18: column 'close': expected decimal(18,4), found "abc"`.
    public var description: String {
        var text = source.isEmpty ? "<input>" : source
        if line > 0 { text += ":\(line)" }
        if line > 0 && position > 0 { text += ":\(position)" }
        text += ": "
        if let column { text += "column '\(column)': " }
        return text + reason
    }
}

/// Quotes a value for an error message, shortened so a message stays one readable line.
public func quotedForMessage(_ text: String, limit: Int = 40) -> String {
    var shown = ""
    for character in text.prefix(limit) {
        switch character {
        case "\n": shown += "\\n"
        case "\r": shown += "\\r"
        case "\t": shown += "\\t"
        case "\"": shown += "\\\""
        default: shown.append(character)
        }
    }
    return "\"" + shown + (text.count > limit ? "…" : "") + "\""
}
