/// An error reply from the server (`-PREFIX message`), classified by its first word.
public struct RESPServerError: Sendable, Hashable, CustomStringConvertible {
    /// What a client should do about an error reply.
    public enum Kind: Sendable, Hashable {
        /// `MOVED` / `ASK`: the key's slot is served elsewhere (``RESPServerError/redirect``).
        case redirect
        /// `TRYAGAIN`, `CLUSTERDOWN`, `LOADING`, `BUSY`, `MASTERDOWN`: retry later with backoff.
        case retryable
        /// `NOAUTH`, `WRONGPASS`, `NOPERM`: configuration; retrying cannot help.
        case fatal
        /// `WRONGTYPE`, `CROSSSLOT`, `OOM`, `ERR` and others: this command failed, others may succeed.
        case command
    }

    /// Where a `MOVED` or `ASK` reply sends the command.
    public struct Redirect: Sendable, Hashable {
        /// Whether it is `ASK` (one command, preceded by `ASKING`) rather than `MOVED` (the slot moved for good).
        public var isAsk: Bool
        /// The hash slot.
        public var slot: Int
        /// The target host; empty means the host of the connection that answered.
        public var host: String
        /// The target port.
        public var port: Int
    }

    /// The first word (`WRONGTYPE`, `ERR`, `MOVED`).
    public let prefix: String
    /// The whole error line.
    public let message: String
    /// The classification of ``prefix``.
    public let kind: Kind
    /// The target of a `MOVED`/`ASK` reply.
    public let redirect: Redirect?

    /// Parses an error line such as `MOVED 3999 127.0.0.1:6381`.
    public init(_ line: String) {
        message = line
        prefix = String(line.prefix { $0 != " " })
        redirect = Self.parseRedirect(line)
        kind = Self.kind(of: prefix)
    }

    public var description: String { message }

    /// The class of an error prefix, as REDIS.md lists them.
    static func kind(of prefix: String) -> Kind {
        switch prefix {
        case "MOVED", "ASK": return .redirect
        case "TRYAGAIN", "CLUSTERDOWN", "LOADING", "BUSY", "MASTERDOWN": return .retryable
        case "NOAUTH", "WRONGPASS", "NOPERM": return .fatal
        default: return .command
        }
    }

    /// `MOVED|ASK slot host:port`; the address split at its last `:` (IPv6 hosts keep theirs).
    static func parseRedirect(_ line: String) -> Redirect? {
        let words = line.split(separator: " ")
        guard words.count == 3, words[0] == "MOVED" || words[0] == "ASK", let slot = Int(words[1]),
            (0..<16384).contains(slot), let colon = words[2].lastIndex(of: ":"),
            let port = Int(words[2][words[2].index(after: colon)...])
        else { return nil }
        return Redirect(isAsk: words[0] == "ASK", slot: slot, host: String(words[2][..<colon]), port: port)
    }
}
