import Foundation

extension RedisServer {
    /// The certificate files of a TLS-enabled test server.
    public typealias TLSFiles = TestCertificates

    /// Makes a throw-away CA and a server certificate for `localhost` and `127.0.0.1` in `directory`
    /// (``TestCertificates/make(in:subjectAltName:)``).
    public static func makeTestCertificates(in directory: URL) throws -> TLSFiles {
        try TestCertificates.make(in: directory)
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
