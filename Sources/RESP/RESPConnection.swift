import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// One connection to a Redis server: commands one at a time with ``send(_:)``, or many at once with
/// ``pipeline(commands:window:maximumErrors:collectingReplies:recordingNulls:)``.
///
/// Replies match commands first in, first out. A connection whose replies can no longer be matched — a command
/// timed out, a pipeline or a command was cancelled with replies outstanding, the server sent garbage — is
/// closed and stays unusable (``isUsable`` is false); a pool never hands it out again.
public final class RESPConnection: Sendable {
    /// The negotiated protocol.
    public enum ProtocolVersion: Int, Sendable, Hashable {
        /// RESP2 (`AUTH`, no `HELLO`).
        case resp2 = 2
        /// RESP3 (`HELLO 3`).
        case resp3 = 3
    }

    let channel: any Channel
    let closeReason: RESPCloseReason
    /// The protocol the handshake settled on.
    public let protocolVersion: ProtocolVersion
    /// `host:port` of the server, for messages.
    public let address: String
    let logger: Logger
    private let poisoned = Atomic<Bool>(false)

    init(
        channel: any Channel,
        closeReason: RESPCloseReason,
        protocolVersion: ProtocolVersion,
        address: String,
        logger: Logger
    ) {
        self.channel = channel
        self.closeReason = closeReason
        self.protocolVersion = protocolVersion
        self.address = address
        self.logger = logger
    }

    /// Connects, logs in and selects the database (see ``Configuration``).
    public static func connect(
        _ configuration: Configuration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "sluice.resp")
    ) async throws -> RESPConnection {
        let (channel, closeReason) = try await RESPBootstrap.connect(
            configuration,
            eventLoopGroup: eventLoopGroup,
            logger: logger
        )
        let address = "\(configuration.host):\(configuration.port)"
        do {
            let version = try await RESPHandshake(
                configuration: configuration,
                channel: channel,
                closeReason: closeReason
            ).run()
            logger.debug("RESP connected", metadata: ["address": "\(address)", "protocol": "\(version.rawValue)"])
            return RESPConnection(
                channel: channel,
                closeReason: closeReason,
                protocolVersion: version,
                address: address,
                logger: logger
            )
        } catch {
            try? await channel.close()
            throw error
        }
    }

    /// Whether the connection is open and not poisoned.
    public var isUsable: Bool { !poisoned.load(ordering: .relaxed) && channel.isActive }

    /// Sends one command and returns its reply; an error reply throws a ``RESPError`` with code
    /// ``RESPError/Code/server`` (its ``RESPError/serverError`` classifies it).
    @discardableResult
    public func send(_ command: some RESPCommandEncodable & CustomStringConvertible) async throws -> RESPValue {
        let reply = try await sendUnchecked([command])[0]
        if case .error(let line) = reply {
            throw RESPError(serverReply: line, context: Self.name(of: command))
        }
        return reply
    }

    /// Sends `commands` in one write and returns their replies, error replies included (nothing throws for them).
    public func sendUnchecked(_ commands: [some RESPCommandEncodable]) async throws -> [RESPValue] {
        try checkUsable()
        var encoder = RESPEncoder(buffer: channel.allocator.buffer(capacity: 256))
        for command in commands { command.encode(into: &encoder) }
        let promise = channel.eventLoop.makePromise(of: [RESPValue].self)
        let request = RESPRequest.commands(encoder.buffer, count: commands.count, promise: promise)
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { [closeReason] in promise.fail(closeReason.explain($0)) }
        channel.writeAndFlush(request, promise: written)
        return try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: {
            // The reply may still come; it would answer the next command. Never reuse this connection.
            self.poison()
        }
    }

    /// Closes the connection (waiting commands fail).
    public func close() async {
        poisoned.store(true, ordering: .relaxed)
        try? await channel.close()
    }

    /// Marks the connection unusable and closes it, without waiting.
    func poison() {
        poisoned.store(true, ordering: .relaxed)
        channel.close(promise: nil)
    }

    func checkUsable() throws {
        guard isUsable else {
            throw RESPError(.connectionUnusable, "the connection to \(address) is closed or was poisoned")
        }
    }

    /// An I/O error as a ``RESPError``.
    static func wrap(_ error: any Error) -> RESPError {
        if let error = error as? RESPError { return error }
        if error is CancellationError { return RESPError(.cancelled, "cancelled") }
        if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError {
            return RESPError(.tls, "the TLS handshake or certificate verification failed", underlying: error)
        }
        return RESPError(.connectionClosed, "the connection failed", underlying: error)
    }

    private static func name(of command: some CustomStringConvertible) -> String {
        String(command.description.prefix { $0 != " " })
    }
}

/// Opens one connection with `configuration`, runs `body` with it, and closes it whether `body` returns or throws.
public func withRESPConnection<Result>(
    _ configuration: RESPConnection.Configuration,
    eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    logger: Logger = Logger(label: "sluice.resp"),
    _ body: (RESPConnection) async throws -> Result
) async throws -> Result {
    let connection = try await RESPConnection.connect(configuration, eventLoopGroup: eventLoopGroup, logger: logger)
    return try await scoped(connection, close: { await $0.close() }, body)
}
