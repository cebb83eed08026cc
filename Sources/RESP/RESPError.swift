/// Why a Redis operation failed: a protocol violation, a server error reply, a broken connection, a timeout.
///
/// Its ``description`` is one line and never contains a password or a command's arguments (only command names).
public struct RESPError: Error, CustomStringConvertible, Sendable {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The bytes from the server are not RESP (``RESPError/offset`` says where); the connection is closed.
        public static let protocolViolation = Code("protocol violation")
        /// A reply exceeded a configured limit (bulk length, nesting depth, line length, element count).
        public static let limitExceeded = Code("limit exceeded")
        /// The server answered with an error reply (``RESPError/serverError``).
        public static let server = Code("server error")
        /// The connection could not be established.
        public static let connectFailed = Code("connect failed")
        /// The connection closed (or was reset) with commands outstanding.
        public static let connectionClosed = Code("connection closed")
        /// A connect or a command did not finish in time; the connection is closed.
        public static let timeout = Code("timeout")
        /// The connection was poisoned by a cancelled pipeline, or is closed, and cannot be used.
        public static let connectionUnusable = Code("connection unusable")
        /// The operation was cancelled.
        public static let cancelled = Code("cancelled")
        /// The URL or configuration is invalid.
        public static let invalidConfiguration = Code("invalid configuration")
        /// TLS could not be set up (certificate files, verification).
        public static let tls = Code("TLS")
    }

    /// The kind of failure.
    public var code: Code
    /// What failed, in one line, without passwords or argument values.
    public var message: String
    /// For protocol violations: the byte offset in the reply stream of the connection.
    public var offset: Int?
    /// For ``Code/server``: the parsed error reply.
    public var serverError: RESPServerError?
    /// The error this one wraps (an I/O or TLS error), if any.
    public var underlying: (any Error)?

    /// An error of `code` with a one-line `message`.
    public init(
        _ code: Code,
        _ message: String,
        offset: Int? = nil,
        serverError: RESPServerError? = nil,
        underlying: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.offset = offset
        self.serverError = serverError
        self.underlying = underlying
    }

    /// An error for a server's error reply `line` (`WRONGTYPE …`), with `context` (a command name) in front.
    public init(serverReply line: String, context: String? = nil) {
        let reply = RESPServerError(line)
        self.init(.server, (context.map { $0 + ": " } ?? "") + reply.message, serverError: reply)
    }

    public var description: String {
        var text = "RESP \(code): \(message)"
        if let offset { text += " (at byte \(offset))" }
        if let underlying { text += " (\(String(describing: underlying).prefix(200)))" }
        return text
    }

    /// Whether trying again (after a backoff, on a new connection) may succeed: retryable server errors
    /// (`TRYAGAIN`, `CLUSTERDOWN`, `LOADING`, `BUSY`, `MASTERDOWN`), connection failures and timeouts.
    public var isRetryable: Bool {
        switch code {
        case .server: return serverError?.kind == .retryable
        case .connectFailed, .connectionClosed, .timeout: return true
        default: return false
        }
    }
}
