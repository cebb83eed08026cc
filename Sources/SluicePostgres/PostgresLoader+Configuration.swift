import Foundation
import Sluice

extension PostgresLoader {
    /// How a ``PostgresLoader`` connects, built from a `postgres://` URL with ``parse(_:environment:)``.
    ///
    /// `postgres://user:password@host:port/database?sslmode=…&sslrootcert=FILE&search_path=S&application_name=A&pool_size=N`
    public struct Configuration: Sendable, Hashable, CustomStringConvertible {
        /// How the connection uses TLS (libpq's `sslmode`).
        public enum SSLMode: String, Sendable, Hashable, CaseIterable {
            /// Plain TCP.
            case disable
            /// TLS when the server offers it, plain TCP otherwise (postgres-nio's `.prefer`). The default.
            case prefer
            /// TLS, without checking the server's certificate (libpq's `require`).
            case require
            /// TLS, checking the certificate chain (against `sslrootcert` when given) and the host name.
            case verifyFull = "verify-full"
        }

        /// The server's host name or address. Default `localhost`.
        public var host: String
        /// The server's port. Default 5432.
        public var port: Int
        /// The user: from the URL, else `PGUSER`, else `postgres`.
        public var username: String
        /// The password: from the URL, else `PGPASSWORD`, else the first matching `~/.pgpass` entry (`PGPASSFILE`
        /// names another file). Never printed: ``description`` omits it.
        public var password: String?
        /// The database: from the URL, else `PGDATABASE`, else the user name.
        public var database: String
        /// TLS use. Default ``SSLMode/prefer``.
        public var sslMode: SSLMode
        /// A PEM file of root certificates to trust (`sslrootcert`), for ``SSLMode/verifyFull``.
        public var sslRootCertificate: String?
        /// The schema search path set on every connection (`search_path`); tables are created in its first schema.
        public var searchPath: String?
        /// The name the server shows for the connections (`application_name`). Default `sluice`.
        public var applicationName: String
        /// Connections in the pool at most (`pool_size`). Default 4.
        public var poolSize: Int
        /// COPY chunks encoded ahead of the connection, so encoding overlaps sending (`pipeline_depth`). Default 4.
        public var pipelineDepth: Int
        /// The size at which an encoded COPY chunk is sent (`chunk_bytes`). Default 1 MiB.
        public var chunkBytes: Int
        /// Input batches parsed ahead by a task of their own, so that parsing overlaps validating, digesting and
        /// encoding (`read_ahead`); 0 reads in the encoding task. Default 4.
        public var readAhead = 4

        /// Creates a configuration; every argument has the documented default.
        public init(
            host: String = "localhost",
            port: Int = 5432,
            username: String = "postgres",
            password: String? = nil,
            database: String? = nil,
            sslMode: SSLMode = .prefer,
            sslRootCertificate: String? = nil,
            searchPath: String? = nil,
            applicationName: String = "sluice",
            poolSize: Int = 4,
            pipelineDepth: Int = 4,
            chunkBytes: Int = 1 << 20
        ) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.database = database ?? username
            self.sslMode = sslMode
            self.sslRootCertificate = sslRootCertificate
            self.searchPath = searchPath
            self.applicationName = applicationName
            self.poolSize = max(1, poolSize)
            self.pipelineDepth = max(1, pipelineDepth)
            self.chunkBytes = max(4096, chunkBytes)
        }

        /// `postgres://user@host:port/database?sslmode=…`, without the password.
        public var description: String {
            "postgres://\(username)@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
        }

        /// Parses a `postgres://` or `postgresql://` URL; user, password and database are percent-decoded.
        ///
        /// - Parameter environment: where `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGPASSFILE` and `HOME` come from.
        /// - Throws: ``Sluice/SluiceError`` (unsupported target) naming the URL redacted, never the password.
        public static func parse(
            _ url: TargetURL,
            environment: [String: String] = ProcessInfo.processInfo.environment
        ) throws -> Configuration {
            guard url.scheme == "postgres", url.hasAuthority else {
                throw SluiceError(.unsupportedTarget, "\(url.redacted): not a postgres:// URL")
            }
            let parts = try URLParts(url)
            var configuration = Configuration(
                host: parts.host.isEmpty ? "localhost" : parts.host,
                port: parts.port ?? 5432,
                username: parts.user ?? environment["PGUSER"] ?? "postgres"
            )
            configuration.database = parts.database ?? environment["PGDATABASE"] ?? configuration.username
            try configuration.apply(parts.query, url: url)
            configuration.password =
                parts.password ?? environment["PGPASSWORD"] ?? configuration.passwordFile(environment)
            return configuration
        }

        private mutating func apply(_ query: [(String, String)], url: TargetURL) throws {
            for (name, value) in query {
                switch name {
                case "sslmode":
                    guard let mode = SSLMode(rawValue: value) else {
                        throw SluiceError(
                            .invalidRequest,
                            "\(url.redacted): unknown sslmode '\(value)' (disable, prefer, require, verify-full)"
                        )
                    }
                    sslMode = mode
                case "sslrootcert": sslRootCertificate = value
                case "search_path", "currentSchema": searchPath = value
                case "application_name": applicationName = value
                case "pool_size": poolSize = try Self.positive(name, value, url: url)
                case "chunk_bytes": chunkBytes = max(4096, try Self.positive(name, value, url: url))
                case "pipeline_depth": pipelineDepth = try Self.positive(name, value, url: url)
                case "read_ahead":
                    guard let batches = Int(value), batches >= 0 else {
                        throw SluiceError(
                            .invalidRequest,
                            "\(url.redacted): read_ahead must be a number of batches (0 to read in the encoding task)"
                        )
                    }
                    readAhead = batches
                default:
                    throw SluiceError(.invalidRequest, "\(url.redacted): unknown option '\(name)'")
                }
            }
        }

        private static func positive(_ name: String, _ value: String, url: TargetURL) throws -> Int {
            guard let number = Int(value), number > 0 else {
                throw SluiceError(.invalidRequest, "\(url.redacted): \(name) must be a positive integer")
            }
            return number
        }

        private func passwordFile(_ environment: [String: String]) -> String? {
            let path = environment["PGPASSFILE"] ?? environment["HOME"].map { $0 + "/.pgpass" }
            guard let path, let data = FileManager.default.contents(atPath: path) else { return nil }
            return PGPassFile(text: String(decoding: data, as: UTF8.self))
                .password(host: host, port: port, database: database, username: username)
        }
    }
}

/// The pieces of `user:password@host:port/database?query`, percent-decoded.
struct URLParts {
    var user: String?
    var password: String?
    var host = ""
    var port: Int?
    var database: String?
    var query: [(String, String)] = []

    init(_ url: TargetURL) throws {
        // The user information ends at the last `@` (`URLRedaction`): split it off first, so that a password's
        // unencoded `?`, `#`, `/` or `@` is not taken for the query, the path or the host.
        if let userInfo = url.userInfo.map({ Substring($0) }) {
            if let colon = userInfo.firstIndex(of: ":") {
                user = try Self.decode(userInfo[..<colon], url)
                password = try Self.decode(userInfo[userInfo.index(after: colon)...], url)
            } else {
                user = try Self.decode(userInfo, url)
            }
            if user?.isEmpty == true { user = nil }
        }
        var rest = Substring(url.address)
        if let mark = rest.firstIndex(of: "?") {
            query = try rest[rest.index(after: mark)...].split(separator: "&").map { pair in
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (try Self.decode(parts[0], url), parts.count > 1 ? try Self.decode(parts[1], url) : "")
            }
            rest = rest[..<mark]
        }
        if let slash = rest.firstIndex(of: "/") {
            let name = rest[rest.index(after: slash)...]
            if !name.isEmpty { database = try Self.decode(name, url) }
            rest = rest[..<slash]
        }
        try parseHostAndPort(rest, url)
    }

    private mutating func parseHostAndPort(_ text: Substring, _ url: TargetURL) throws {
        var hostPart = text
        var portPart: Substring?
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            hostPart = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if after.hasPrefix(":") { portPart = after.dropFirst() }
        } else if let colon = text.lastIndex(of: ":") {
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        host = try Self.decode(hostPart, url)
        if let portPart {
            guard let number = Int(portPart), (1...65535).contains(number) else {
                throw SluiceError(.unsupportedTarget, "\(url.redacted): the port must be a number from 1 to 65535")
            }
            port = number
        }
    }

    static func decode(_ text: Substring, _ url: TargetURL) throws -> String {
        guard text.contains("%") else { return String(text) }
        guard let decoded = String(text).removingPercentEncoding else {
            throw SluiceError(.unsupportedTarget, "\(url.redacted): invalid percent-encoding")
        }
        return decoded
    }
}
