import Foundation
import RESP
import SluiceTesting
import Testing

@Suite("RESP over TLS", .timeLimit(.minutes(2)))
struct RESPTLSTests {
    private func withTLSServer(_ body: (RedisServer) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try RedisServer.makeTestCertificates(in: directory)
        try await withRedisServer(.init(password: "tls-pw", tls: files)) { server in try await body(server) }
    }

    @Test("rediss:// with the test CA verifies the certificate and the host name, and logs in")
    func verified() async throws {
        try await withTLSServer { server in
            for host in ["localhost", "127.0.0.1"] {
                let url = try #require(server.tlsURL(host: host))
                try await withRESPClient(url: url) { client in
                    #expect(try await client.send(RESPCommand("PING")) == .simpleString("PONG"))
                    let outcome = try await client.pipeline(
                        commands: (0..<10_000).map { RESPCommand("SET", .string("tls:\($0)"), "v") }
                    )
                    #expect(outcome.count == 10_000 && outcome.failed == 0)
                }
            }
        }
    }

    @Test("without the CA (system roots) the connection is refused; verify=none connects")
    func refused() async throws {
        try await withTLSServer { server in
            let port = try #require(server.tlsPort)
            let unknownCA = try await #require(throws: RESPError.self) {
                try await RESPConnection.connect(try .init(url: "rediss://:tls-pw@localhost:\(port)"))
            }
            #expect(unknownCA.code == .tls, "\(unknownCA)")
            #expect(!"\(unknownCA)".contains("tls-pw"))
            var unchecked = try RESPConnection.Configuration(url: "rediss://:tls-pw@localhost:\(port)")
            unchecked.tls?.verification = .none
            let connection = try await RESPConnection.connect(unchecked)
            #expect(try await connection.send(RESPCommand("PING")) == .simpleString("PONG"))
            await connection.close()
        }
    }
}
