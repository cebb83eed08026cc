import Foundation

/// A throw-away Redis server for integration tests: `redis-server` on a free loopback port, in a temporary
/// directory, with persistence off.
///
/// ``shared`` is the server most tests use (started on first use, gone when the process exits). Tests that kill,
/// restart or reconfigure a server, or need a password or ACL users, take their own with
/// ``withRedisServer(_:_:)``:
///
/// ```swift
/// try await withRedisServer(.init(password: "secret")) { server in
///     try await withRESPClient(url: server.url()) { client in … }
///     #expect(try server.cli("DBSIZE") == "0")
/// }
/// ```
///
/// A server that cannot start throws a ``RedisServerError`` with the last lines of its log: tests fail, never skip.
public final class RedisServer: Sendable {
    /// How a server is set up.
    public struct Configuration: Sendable {
        /// An ACL user (`user NAME on >PASSWORD RULES`).
        public struct User: Sendable {
            /// The user name.
            public var name: String
            /// The user's password.
            public var password: String
            /// The ACL rules; default every key, channel and command (`~* &* +@all`).
            public var rules: String

            /// A user with `rules`.
            public init(name: String, password: String, rules: String = "~* &* +@all") {
                self.name = name
                self.password = password
                self.rules = rules
            }
        }

        /// The `default` user's password (`requirepass`); default `nil` (no password).
        public var password: String?
        /// More ACL users; default none.
        public var users: [User]
        /// More configuration lines (`maxmemory 1mb`, `cluster-enabled yes`); default none.
        public var settings: [String]
        /// Certificate files for a TLS port beside the plain one (``RedisServer/tlsPort``); default `nil` (no TLS).
        public var tls: TLSFiles?

        /// A server without password or extra users, unless told otherwise.
        public init(password: String? = nil, users: [User] = [], settings: [String] = [], tls: TLSFiles? = nil) {
            self.password = password
            self.users = users
            self.settings = settings
            self.tls = tls
        }
    }

    /// The host clients connect to: `127.0.0.1`.
    public let host = "127.0.0.1"
    /// The TCP port.
    public let port: Int
    /// The TLS port, when the configuration has ``Configuration/tls`` files.
    public let tlsPort: Int?
    /// The server's directory: `redis.conf`, `redis.log`, `redis.pid` (and cluster state).
    public let directory: URL
    /// How it was set up.
    public let configuration: Configuration

    init(port: Int, tlsPort: Int?, directory: URL, configuration: Configuration) {
        self.port = port
        self.tlsPort = tlsPort
        self.directory = directory
        self.configuration = configuration
    }

    /// `redis://[user:password@]127.0.0.1:PORT/DATABASE`: as `default` with the server's password (if any), or as
    /// `user` with `password`.
    public func url(database: Int = 0, user: String? = nil, password: String? = nil) -> String {
        let password = user == nil ? (password ?? configuration.password) : password
        var login = ""
        if user != nil || password != nil {
            login = (user ?? "") + (password.map { ":" + Self.percentEncoded($0) } ?? "") + "@"
        }
        return "redis://\(login)\(host):\(port)/\(database)"
    }

    /// Runs `redis-cli` with `arguments` as the `default` user and returns its output without the final newline;
    /// throws with its output if it fails or prints an error reply.
    @discardableResult
    public func cli(_ arguments: String...) throws -> String {
        try cli(arguments)
    }

    /// ``cli(_:)-(String...)`` with an array.
    @discardableResult
    public func cli(_ arguments: [String]) throws -> String {
        var environment = ShellCommand.cleanEnvironment
        if let password = configuration.password { environment["REDISCLI_AUTH"] = password }
        let outcome = try ShellCommand(
            executable: Self.tool("redis-cli"),
            arguments: ["-h", host, "-p", "\(port)"] + arguments,
            environment: environment
        ).run()
        var output = Substring(outcome.output)
        while output.last == "\n" { output = output.dropLast() }
        guard outcome.status == 0, !output.hasPrefix("ERR"), !output.hasPrefix("(error)") else {
            throw RedisServerError(
                "redis-cli \(arguments.first ?? "") on port \(port) failed (exit \(outcome.status))",
                log: outcome.error.isEmpty ? String(output) : outcome.tail()
            )
        }
        return String(output)
    }

    /// Runs `redis-cli --pipe` with `file` (encoded commands) as its input and returns what it prints (its last
    /// line counts the replies and errors); the bulk-loading speed anchor.
    @discardableResult
    public func pipe(_ file: URL) throws -> String {
        var environment = ShellCommand.cleanEnvironment
        if let password = configuration.password { environment["REDISCLI_AUTH"] = password }
        let outcome = try ShellCommand(
            executable: Self.tool("redis-cli"),
            arguments: ["-h", host, "-p", "\(port)", "--pipe"],
            environment: environment,
            input: file
        ).run()
        guard outcome.status == 0 else {
            throw RedisServerError(
                "redis-cli --pipe on port \(port) failed (exit \(outcome.status))",
                log: outcome.tail()
            )
        }
        return outcome.output
    }

    /// The last `count` lines of the server log.
    public func logTail(_ count: Int = 20) -> String {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
    }

    var logFile: URL { directory.appendingPathComponent("redis.log") }
    var pidFile: URL { directory.appendingPathComponent("redis.pid") }
    var configurationFile: URL { directory.appendingPathComponent("redis.conf") }

    /// The path of a Redis tool (`redis-server`, `redis-cli`): on `PATH`, else `/usr/bin`.
    static func tool(_ name: String) -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return "/usr/bin/\(name)"
    }

    private static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
