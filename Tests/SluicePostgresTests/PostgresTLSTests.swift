import Foundation
import Sluice
import SluicePostgres
import SluiceTesting
import Testing

/// `sslmode` against a real PostgreSQL server with TLS (SECURITY.md, promise 3): `verify-full` checks the chain and
/// the host name, `require` encrypts without checking, and a server that takes TLS connections only refuses the
/// others. Each server lets TCP clients in over TLS only, so a load that works went over TLS.
@Suite("PostgreSQL over TLS", .timeLimit(.minutes(5)))
struct PostgresTLSTests {
    static let password = "tls-secret-pw"

    /// A server of its own with TLS only and a password, its certificate made for `subjectAltName`.
    private func withTLSServer(
        subjectAltName: String = "DNS:localhost,IP:127.0.0.1",
        _ body: (PostgresServer, TestCertificates) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-pgtls-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificates = try TestCertificates.make(in: directory, subjectAltName: subjectAltName)
        let configuration = PostgresServer.Configuration(superuserPassword: Self.password, tls: certificates)
        try await withPostgresServer(configuration) { server in
            try server.requireTLS()
            try await body(server, certificates)
        }
    }

    private func url(_ server: PostgresServer, host: String, _ query: String) -> String {
        "postgres://postgres:\(Self.password)@\(host):\(server.port)/postgres?\(query)"
    }

    /// Loads two rows into `prices` through `url` and returns the verification.
    private func load(_ url: String) async throws -> Verification {
        try await withLoader(url, factories: [PostgresLoader.factory]) { loader in
            let schema = Schema(columns: [Column("symbol", .string), Column("close", .int64)], keyColumns: ["symbol"])
            let batch = try RecordBatch(
                schema: schema,
                rows: [[.string("AAPL"), .int64(1)], [.string("MSFT"), .int64(2)]]
            )
            _ = try await loader.load(
                RecordStream(schema: schema, source: "tls.csv", batches: [batch]),
                request: LoadRequest(table: "prices", strategy: .upsert, keyColumns: ["symbol"])
            )
            return try await loader.verify(table: "prices")
        }
    }

    /// Opening `url` fails at once (not a transient error, which would be retried) with one line that names no
    /// password.
    private func expectRefused(_ url: String, mentioning words: [String]) async throws {
        let error = await #expect(throws: SluiceError.self) { _ = try await self.load(url) }
        let text = error.map { "\($0)" } ?? ""
        #expect(error?.isTransient == false, "\(text)")
        #expect(!text.contains("\n"), "\(text)")
        #expect(!text.contains(Self.password), "\(text)")
        for word in words { #expect(text.lowercased().contains(word), "'\(word)' not in: \(text)") }
    }

    @Test("verify-full with the test CA checks the chain and the host name, then loads and verifies over TLS")
    func verifyFull() async throws {
        try await withTLSServer { server, certificates in
            for host in ["localhost", "127.0.0.1"] {
                let verification = try await load(
                    url(server, host: host, "sslmode=verify-full&sslrootcert=\(certificates.certificateAuthorityFile)")
                )
                #expect(verification.isValid && verification.actualRecordCount == 2, "\(verification)")
            }
            #expect(try server.psql("SELECT count(*) FROM prices") == "2")
        }
    }

    @Test("require and prefer encrypt without checking the certificate; disable is refused by a TLS-only server")
    func requireAndDisable() async throws {
        try await withTLSServer { server, _ in
            #expect(try await load(url(server, host: "127.0.0.1", "sslmode=require")).isValid)
            #expect(try await load(url(server, host: "127.0.0.1", "sslmode=prefer")).isValid)
            try await expectRefused(url(server, host: "127.0.0.1", "sslmode=disable"), mentioning: ["127.0.0.1"])
        }
    }

    @Test("verify-full refuses a certificate from an unknown CA")
    func unknownAuthority() async throws {
        try await withTLSServer { server, _ in
            // No sslrootcert: the system's roots, which never signed the test CA.
            try await expectRefused(
                url(server, host: "localhost", "sslmode=verify-full"),
                mentioning: ["tls failed", "certificate"]
            )
            #expect(try server.psql("SELECT count(*) FROM pg_tables WHERE tablename = 'prices'") == "0")
        }
    }

    @Test("verify-full refuses a certificate made for another host name; require still connects")
    func wrongHostName() async throws {
        try await withTLSServer(subjectAltName: "DNS:elsewhere.invalid") { server, certificates in
            let query = "sslmode=verify-full&sslrootcert=\(certificates.certificateAuthorityFile)"
            try await expectRefused(url(server, host: "localhost", query), mentioning: ["tls failed", "localhost"])
            #expect(try await load(url(server, host: "localhost", "sslmode=require")).isValid)
        }
    }

    @Test("verify-full against a server without TLS fails at once, saying so")
    func serverWithoutTLS() async throws {
        let server = try PostgresServer.shared
        let database = try server.createDatabase(prefix: "tls_none")
        let plain = server.url(database: database).replacingOccurrences(of: "sslmode=disable", with: "sslmode=require")
        let error = await #expect(throws: SluiceError.self) { _ = try await self.load(plain) }
        #expect(error?.description.contains("does not support TLS") == true, "\(error.map { "\($0)" } ?? "")")
    }
}
