import NIOCore
import RESP
import SluiceTesting
import Testing

/// `rediss://` to a server that does not speak TLS fails within the connect timeout and says TLS failed, instead of
/// waiting for a command timeout and reporting that.
@Suite("RESP: TLS to a plain server", .timeLimit(.minutes(2)))
struct RESPTLSPlainServerTests {
    @Test func tlsToAPlainServerFailsWithinTheConnectTimeoutNamingTLS() async throws {
        try await withRedisServer { server in
            for verification in [RESPConnection.Configuration.TLS.Verification.full, .none] {
                var configuration = try RESPConnection.Configuration(url: "rediss://127.0.0.1:\(server.port)/0")
                configuration.tls?.verification = verification
                configuration.connectTimeout = .seconds(5)
                let error = try await #require(throws: RESPError.self) {
                    try await RESPConnection.connect(configuration)
                }
                // A TLS error, not the command timeout (30 s) reporting a RESP timeout as before: how fast it comes is
                // the connect timeout on a quiet machine, and no test asserts wall time on a busy one.
                #expect(error.code == .tls, "\(error)")
                #expect("\(error)".contains("TLS handshake failed"), "\(error)")
                #expect("\(error)".contains("plain redis://"), "\(error)")
                #expect(!"\(error)".contains("\n"))
            }
            // The server is unharmed: a plain connection still works.
            let plain = try RESPConnection.Configuration(url: "redis://127.0.0.1:\(server.port)/0")
            let reply = try await withRESPConnection(plain) { connection in
                try await connection.send(RESPCommand("PING"))
            }
            #expect(reply == .simpleString("PONG"))
        }
    }
}
