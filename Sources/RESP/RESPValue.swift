/// A reply from a Redis server, in RESP2 or RESP3.
public enum RESPValue: Sendable, Hashable {
    /// `+OK`.
    case simpleString(String)
    /// `-ERR …` or `!len` (RESP3 bulk error).
    case error(String)
    /// `:42`.
    case integer(Int64)
    /// `$len` bytes.
    case bulkString([UInt8])
    /// `$-1`, `*-1` or `_` (RESP3).
    case null
    /// `*len` values.
    case array([RESPValue])
}
