import Foundation

/// A throw-away certificate authority and a server certificate signed by it, as PEM files: what the TLS tests of
/// Redis and PostgreSQL run their servers with.
public struct TestCertificates: Sendable {
    /// The PEM certificate of the test CA that signed the server's certificate (what clients trust).
    public var certificateAuthorityFile: String
    /// The server's PEM certificate.
    public var certificateFile: String
    /// The server's PEM private key.
    public var keyFile: String

    /// Files given by path.
    public init(certificateAuthorityFile: String, certificateFile: String, keyFile: String) {
        self.certificateAuthorityFile = certificateAuthorityFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }

    /// Makes a CA and a server certificate (P-256, valid two days) in `directory`, with `openssl`.
    ///
    /// The server certificate is for `subjectAltName` (by default `localhost` and `127.0.0.1`); pass other names
    /// to make a certificate that a client checking the host name must refuse.
    public static func make(
        in directory: URL,
        subjectAltName: String = "DNS:localhost,IP:127.0.0.1"
    ) throws -> TestCertificates {
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        let extensions = path("server.ext")
        try Data("subjectAltName=\(subjectAltName)\n".utf8).write(to: URL(fileURLWithPath: extensions))
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
            let outcome = try ShellCommand(executable: RedisServer.tool("openssl"), arguments: step).run()
            guard outcome.status == 0 else {
                throw RedisServerError("openssl \(step[0]) failed (exit \(outcome.status))", log: outcome.tail())
            }
        }
        return TestCertificates(
            certificateAuthorityFile: path("ca.crt"),
            certificateFile: path("server.crt"),
            keyFile: path("server.key")
        )
    }
}
