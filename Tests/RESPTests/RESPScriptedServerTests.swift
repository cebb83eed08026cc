import NIOCore
import NIOPosix
import RESP
import Synchronization
import Testing

/// A server that answers the n-th read from a client with the n-th scripted reply, whatever was sent.
private final class ScriptedReplies: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let replies: [String]
    private let next = Atomic<Int>(0)

    init(_ replies: [String]) { self.replies = replies }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let index = next.add(1, ordering: .relaxed).oldValue
        guard index < replies.count else { return }
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: replies[index])), promise: nil)
    }
}

/// Runs `body` with the port of a scripted server on loopback.
private func withScriptedServer(_ replies: [String], _ body: (Int) async throws -> Void) async throws {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(ScriptedReplies(replies))
            }
        }
        .bind(host: "127.0.0.1", port: 0).get()
    do {
        try await body(channel.localAddress?.port ?? 0)
        try await channel.close()
    } catch {
        try? await channel.close()
        throw error
    }
}

@Suite("RESP against scripted servers", .timeLimit(.minutes(1)))
struct RESPScriptedServerTests {
    @Test("-NOPROTO to HELLO falls back to RESP2 and AUTH")
    func noproto() async throws {
        try await withScriptedServer(["-NOPROTO unsupported protocol version\r\n", "+OK\r\n", "+PONG\r\n"]) { port in
            let connection = try await RESPConnection.connect(try .init(url: "redis://:pw@127.0.0.1:\(port)"))
            #expect(connection.protocolVersion == .resp2)
            #expect(try await connection.send(RESPCommand("PING")) == .simpleString("PONG"))
            await connection.close()
        }
    }

    @Test("garbage from the server fails with the byte offset, and the connection is closed")
    func garbage() async throws {
        try await withScriptedServer(["%1\r\n+server\r\n+fake\r\n", "+OK\r\n?garbage\r\n"]) { port in
            let connection = try await RESPConnection.connect(.init(host: "127.0.0.1", port: port))
            #expect(connection.protocolVersion == .resp3)
            let error = try await #require(throws: RESPError.self) {
                try await connection.sendUnchecked([RESPCommand("SET", "a", "1"), RESPCommand("GET", "a")])
            }
            #expect(error.code == .protocolViolation)
            #expect(error.offset == 25)
            #expect(!connection.isUsable)
        }
    }
}
