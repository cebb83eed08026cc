import NIOCore

/// A reply from a Redis server, in RESP2 or RESP3.
///
/// RESP3 types that only annotate (attributes, `|`) are skipped by the decoder; a verbatim string (`=`, how
/// `INFO` answers in RESP3) arrives as ``bulkString(_:)`` without its `txt:` prefix, so it reads the same as in
/// RESP2. Push messages (`>`) are ``push(_:)`` and never answer a command.
public enum RESPValue: Sendable, Hashable {
    /// `+OK`: a simple string.
    case simpleString(String)
    /// `-ERR …` or `!len` (RESP3 bulk error): the server's error line, e.g. `WRONGTYPE Operation against a key…`.
    case error(String)
    /// `:42`.
    case integer(Int64)
    /// `$len` bytes (also RESP3 verbatim `=len`, without its format prefix).
    case bulkString(ByteBuffer)
    /// `$-1`, `*-1` or `_` (RESP3).
    case null
    /// `*len` values.
    case array([RESPValue])
    /// RESP3 `,` double (`inf`, `-inf` and `nan` included).
    case double(Double)
    /// RESP3 `#t` / `#f`.
    case boolean(Bool)
    /// RESP3 `(` big number, as its decimal digits.
    case bigNumber(String)
    /// RESP3 `%` map; a repeated key keeps its last value.
    case map([RESPValue: RESPValue])
    /// RESP3 `~` set, in the order the server sent it.
    case set([RESPValue])
    /// RESP3 `>` push message (pub/sub, client tracking): not a reply to any command.
    case push([RESPValue])
}

extension RESPValue {
    /// The text of a simple string, bulk string (as UTF-8), big number, error or integer; `nil` for other values.
    public var string: String? {
        switch self {
        case .simpleString(let text), .error(let text), .bigNumber(let text): return text
        case .bulkString(let bytes): return String(buffer: bytes)
        case .integer(let value): return String(value)
        default: return nil
        }
    }

    /// The value of an integer, or of a simple or bulk string holding a decimal integer.
    public var int: Int? {
        switch self {
        case .integer(let value): return Int(exactly: value)
        case .simpleString, .bulkString: return string.flatMap { Int($0) }
        default: return nil
        }
    }

    /// The elements of an array, set or push; a map's keys and values alternating (as RESP2 sends maps).
    public var elements: [RESPValue]? {
        switch self {
        case .array(let values), .set(let values), .push(let values): return values
        case .map(let pairs): return pairs.flatMap { [$0.key, $0.value] }
        default: return nil
        }
    }

    /// Whether this is an error reply.
    public var isError: Bool {
        if case .error = self { return true }
        return false
    }

    /// Whether this is a null reply.
    public var isNull: Bool { self == .null }
}
