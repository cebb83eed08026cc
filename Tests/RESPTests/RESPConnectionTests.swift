import Logging
import NIOCore
import RESP
import SluiceTesting
import Testing

@Suite("RESP connections against a real server", .timeLimit(.minutes(2)))
struct RESPConnectionTests {
    private func connect(
        _ url: String,
        _ adjust: (inout RESPConnection.Configuration) -> Void = { _ in }
    ) async throws
        -> RESPConnection
    {
        var configuration = try RESPConnection.Configuration(url: url)
        adjust(&configuration)
        return try await RESPConnection.connect(configuration)
    }

    @discardableResult
    private func withConnection<Result>(
        _ url: String,
        _ adjust: (inout RESPConnection.Configuration) -> Void = { _ in },
        _ body: (RESPConnection) async throws -> Result
    ) async throws -> Result {
        var configuration = try RESPConnection.Configuration(url: url)
        adjust(&configuration)
        return try await withRESPConnection(configuration, body)
    }

    @Test("the handshake speaks RESP3, and commands round-trip")
    func handshakeRESP3() async throws {
        let server = try RedisServer.shared
        try await withConnection(server.url() + "?name=sluice-test") { connection in
            #expect(connection.protocolVersion == .resp3)
            #expect(try await connection.send(RESPCommand("PING")) == .simpleString("PONG"))
            try await connection.send(RESPCommand("SET", "handshake:key", .bytes([0, 1, 2, 255])))
            #expect(
                try await connection.send(RESPCommand("GET", "handshake:key"))
                    == .bulkString(ByteBuffer(bytes: [0, 1, 2, 255]))
            )
            #expect(try await connection.send(RESPCommand("CLIENT", "GETNAME")).string == "sluice-test")
            #expect(try await connection.send(RESPCommand("HGETALL", "handshake:missing")) == .map([:]))
        }
    }

    @Test("without HELLO on the server, the handshake falls back to RESP2 with AUTH, SETNAME and SELECT")
    func fallbackRESP2() async throws {
        let configuration = RedisServer.Configuration(password: "fallback-pw", settings: ["rename-command HELLO \"\""])
        try await withRedisServer(configuration) { server in
            try await withConnection(server.url(database: 2) + "?name=old-client") { connection in
                #expect(connection.protocolVersion == .resp2)
                try await connection.send(RESPCommand("SET", "fallback", "yes"))
                #expect(try server.cli("-n", "2", "GET", "fallback") == "yes")
                #expect(try await connection.send(RESPCommand("CLIENT", "GETNAME")).string == "old-client")
            }
        }
    }

    @Test("AUTH with the default user's password and with an ACL user; a wrong password fails without showing it")
    func authentication() async throws {
        let alice = RedisServer.Configuration.User(name: "alice", password: "alice-pw")
        try await withRedisServer(.init(password: "server-pw", users: [alice])) { server in
            let byPassword = try await connect(server.url())
            #expect(try await byPassword.send(RESPCommand("ACL", "WHOAMI")).string == "default")
            await byPassword.close()
            let byUser = try await connect(server.url(user: "alice", password: "alice-pw"))
            #expect(try await byUser.send(RESPCommand("ACL", "WHOAMI")).string == "alice")
            await byUser.close()

            for url in [server.url(password: "not-the-pw"), server.url(user: "alice", password: "not-the-pw")] {
                let error = try await #require(throws: RESPError.self) { try await connect(url) }
                #expect(error.code == .server)
                #expect(error.serverError?.prefix == "WRONGPASS")
                #expect(error.serverError?.kind == .fatal)
                #expect(!error.isRetryable)
                #expect(!"\(error)".contains("not-the-pw"))
            }
            let error = try await #require(throws: RESPError.self) {
                try await connect("redis://127.0.0.1:\(server.port)")
            }
            #expect(error.serverError?.prefix == "NOAUTH")
        }
    }

    @Test("the URL's database is selected")
    func selectDatabase() async throws {
        let server = try RedisServer.shared
        try await withConnection(server.url(database: 5)) { connection in
            try await connection.send(RESPCommand("SET", "select:key", "five"))
        }
        #expect(try server.cli("-n", "5", "GET", "select:key") == "five")
        #expect(try server.cli("-n", "0", "EXISTS", "select:key") == "0")
    }

    @Test("push messages never answer a command")
    func pushMessages() async throws {
        let server = try RedisServer.shared
        try await withConnection(server.url()) { connection in
            try await connection.send(RESPCommand("SET", "push:key", "1"))
            try await connection.send(RESPCommand("CLIENT", "TRACKING", "ON"))
            #expect(try await connection.send(RESPCommand("GET", "push:key")).string == "1")
            try server.cli("SET", "push:key", "2")  // the server now pushes an invalidation to our connection
            for round in 0..<20 {
                #expect(try await connection.send(RESPCommand("ECHO", .integer(round))).string == "\(round)")
            }
        }
    }

    @Test("a command the server does not answer in time fails, and the connection is not used again")
    func commandTimeout() async throws {
        try await withRedisServer(.init(settings: ["enable-debug-command yes"])) { server in
            let connection = try await connect(server.url()) { $0.commandTimeout = .milliseconds(300) }
            let error = try await #require(throws: RESPError.self) {
                try await connection.send(RESPCommand("DEBUG", "SLEEP", 3))
            }
            #expect(error.code == .timeout)
            #expect(!connection.isUsable)
            await #expect(throws: RESPError.self) { try await connection.send(RESPCommand("PING")) }
        }
    }

    @Test("nothing listening: connecting fails as a retryable error")
    func connectFails() async throws {
        let port = try RedisServer.shared.port
        let error = try await #require(throws: RESPError.self) {
            try await connect("redis://127.0.0.1:1") { $0.connectTimeout = .seconds(2) }
        }
        #expect(error.code == .connectFailed && error.isRetryable)
        #expect(port > 0)
    }
}
