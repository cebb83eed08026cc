import Foundation

extension RedisServer {
    /// The certificate files of a TLS-enabled test server.
    public struct TLSFiles: Sendable {
        /// The PEM certificate of the test CA that signed the server's certificate (what clients trust).
        public var certificateAuthorityFile: String
        /// The server's PEM certificate (for `localhost` and `127.0.0.1`).
        public var certificateFile: String
        /// The server's PEM private key.
        public var keyFile: String

        /// Files given by path.
        public init(certificateAuthorityFile: String, certificateFile: String, keyFile: String) {
            self.certificateAuthorityFile = certificateAuthorityFile
            self.certificateFile = certificateFile
            self.keyFile = keyFile
        }
    }

    /// Makes a throw-away CA and a server certificate for `localhost` and `127.0.0.1` (P-256, valid two days) in
    /// `directory`, with `openssl`.
    public static func makeTestCertificates(in directory: URL) throws -> TLSFiles {
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        let extensions = path("server.ext")
        try Data("subjectAltName=DNS:localhost,IP:127.0.0.1\n".utf8).write(to: URL(fileURLWithPath: extensions))
        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        let steps: [[String]] = [
            ["req", "-x509"] + curve + [
                "-keyout", path("ca.key"), "-out", path("ca.crt"), "-days", "2", "-subj", "/CN=Sluice test CA",
            ],
            ["req"] + curve + ["-keyout", path("server.key"), "-out", path("server.csr"), "-subj", "/CN=localhost"],
            [
                "x509", "-req", "-in", path("server.csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"),
                "-CAcreateserial", "-out", path("server.crt"), "-days", "2", "-extfile", extensions,
            ],
        ]
        for step in steps {
            let outcome = try ShellCommand(executable: tool("openssl"), arguments: step).run()
            guard outcome.status == 0 else {
                throw RedisServerError("openssl \(step[0]) failed (exit \(outcome.status))", log: outcome.tail())
            }
        }
        return TLSFiles(
            certificateAuthorityFile: path("ca.crt"),
            certificateFile: path("server.crt"),
            keyFile: path("server.key")
        )
    }

    /// `rediss://[user:password@]localhost:TLSPORT/DATABASE?ca=CA` for a server started with TLS files.
    public func tlsURL(database: Int = 0, host: String = "localhost") -> String? {
        guard let tlsPort, let files = configuration.tls else { return nil }
        let login = configuration.password.map {
            ":\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)@"
        }
        return "rediss://\(login ?? "")\(host):\(tlsPort)/\(database)?ca=\(files.certificateAuthorityFile)"
    }
}
