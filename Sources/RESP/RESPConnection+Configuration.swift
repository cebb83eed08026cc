import NIOCore

extension RESPConnection {
    /// How to reach and log in to one server.
    public struct Configuration: Sendable {
        /// TLS settings for `rediss://`.
        public struct TLS: Sendable, Hashable {
            /// How much of the server's certificate to check.
            public enum Verification: Sendable, Hashable {
                /// The chain up to a trusted root and the host name (the default).
                case full
                /// The chain only, any host name.
                case certificateAuthorityOnly
                /// Nothing (tests only).
                case none
            }

            /// How much to check; default ``Verification/full``.
            public var verification: Verification
            /// A PEM file of roots to trust instead of the system's; default `nil` (the system's).
            public var certificateAuthorityFile: String?
            /// The name to verify and to send as SNI; default the host (none for an IP address).
            public var serverName: String?

            /// Full verification against the system's roots, unless told otherwise.
            public init(
                verification: Verification = .full,
                certificateAuthorityFile: String? = nil,
                serverName: String? = nil
            ) {
                self.verification = verification
                self.certificateAuthorityFile = certificateAuthorityFile
                self.serverName = serverName
            }
        }

        /// The host name or address.
        public var host: String
        /// The port; default 6379.
        public var port: Int
        /// The ACL user; default `nil` (`default` when a password is given).
        public var username: String?
        /// The password; default `nil` (no `AUTH`).
        public var password: String?
        /// The database to `SELECT`; default 0 (no `SELECT`). Must stay 0 for a cluster.
        public var database: Int
        /// `CLIENT SETNAME` (sent within `HELLO`); default `nil`.
        public var clientName: String?
        /// TLS, or `nil` (the default) for plain TCP.
        public var tls: TLS?
        /// How long connecting (TCP and TLS) may take; default 10 s.
        public var connectTimeout: TimeAmount
        /// How long the server may stay silent while replies are due; default 30 s. It then fails the waiting
        /// commands and closes the connection (a late reply would be matched to the wrong command).
        public var commandTimeout: TimeAmount
        /// What the reply decoder accepts; default ``RESPLimits/init(maximumBulkLength:maximumDepth:maximumAggregateCount:maximumLineLength:)``.
        public var limits: RESPLimits
        /// Whether to try RESP3 (`HELLO 3`) first; default `true`. `false` speaks RESP2 (`AUTH`) only.
        public var prefersRESP3: Bool

        /// A configuration for `host:port` with the defaults.
        public init(host: String, port: Int = 6379) {
            self.host = host
            self.port = port
            database = 0
            connectTimeout = .seconds(10)
            commandTimeout = .seconds(30)
            limits = RESPLimits()
            prefersRESP3 = true
        }

        /// A configuration from a URL (`redis://`, `rediss://` with its `ca=`, `verify=`, `name=` options).
        public init(url: RedisURL) {
            self.init(host: url.host, port: url.port)
            username = url.username
            password = url.password
            database = url.database
            clientName = url.clientName
            if url.usesTLS {
                let verification: TLS.Verification =
                    switch url.verification {
                    case "none": .none
                    case "ca": .certificateAuthorityOnly
                    default: .full
                    }
                tls = TLS(verification: verification, certificateAuthorityFile: url.certificateAuthorityFile)
            }
        }

        /// A configuration from a URL string; throws for an invalid one.
        public init(url: String) throws(RESPError) {
            self.init(url: try RedisURL(url))
        }
    }
}
