import NIOCore
import NIOTLS

/// Watches a new channel's TLS handshake, so that `rediss://` to a server that does not answer TLS fails within the
/// connect timeout, naming TLS, instead of with a command timeout later.
///
/// A plain `redis://` server reads a TLS client hello as the start of an inline command and waits, silently, for
/// its end; without this watch the handshake would wait for the first command's timeout (30 s by default).
/// ``RESPBootstrap`` fails ``handshake`` when the connect timeout passes first.
final class RESPTLSHandshakeWatch: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    /// Succeeds when the handshake completes; fails with a ``RESPError`` (code ``RESPError/Code/tls``) otherwise.
    let handshake: EventLoopPromise<Void>

    init(handshake: EventLoopPromise<Void>) {
        self.handshake = handshake
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .handshakeCompleted = event as? TLSUserEvent { handshake.succeed(()) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        handshake.fail(RESPConnection.wrap(error))
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        handshake.fail(Self.failure("the server closed the connection"))
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        handshake.fail(Self.failure("the connection ended"))
    }

    /// The handshake did not finish within `timeout`.
    static func timedOut(after timeout: TimeAmount) -> RESPError {
        failure("the server did not answer TLS within \(Double(timeout.nanoseconds) / 1e9) s")
    }

    /// `TLS handshake failed: REASON (is it a plain redis:// server?)`.
    static func failure(_ reason: String) -> RESPError {
        RESPError(.tls, "TLS handshake failed: \(reason) (is it a plain redis:// server?)")
    }
}
