/// What kind of JSON value a member holds.
enum JSONValueKind: UInt8 {
    case string
    case number
    case bool
    case null
    /// An object or array, kept as its JSON text.
    case nested
}

/// Where a parsed JSON text lives: in the window (no escapes) or in the parser's scratch buffer (unescaped).
struct JSONSpan {
    var start: Int
    var end: Int
    var inScratch: Bool
}

/// One `"key": value` member of a top-level object.
struct JSONMember {
    /// The key, unescaped.
    var key: JSONSpan
    /// The window offset of the key's opening quote.
    var keyOffset: Int
    var kind: JSONValueKind
    /// The value's text: a string's unescaped content, a number's exact text, `true`/`false`, or the JSON text
    /// of a nested value.
    var text: JSONSpan
    /// The value's JSON text as written (quotes and escapes included), in the window.
    var rawStart: Int
    var rawEnd: Int
}

/// Why a parse attempt stopped: the window ended mid-object (refill and retry) or a syntax error at an offset.
enum JSONStop: Error {
    case needMore
    case syntax(offset: Int, message: String)
}
