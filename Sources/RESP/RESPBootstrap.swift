import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// Opens the TCP (and TLS) channel of a connection, with the reply handler in place.
enum RESPBootstrap {
    static func connect(
        _ configuration: RESPConnection.Configuration,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger
    ) async throws -> (any Channel, RESPCloseReason) {
        let closeReason = RESPCloseReason()
        let tls = try configuration.tls.map { try makeTLSContext($0) }
        let serverName =
            configuration.tls.flatMap { $0.serverName } ?? (isAddress(configuration.host) ? nil : configuration.host)
        let limits = configuration.limits
        let commandTimeout = configuration.commandTimeout
        let deadline = NIODeadline.now() + configuration.connectTimeout
        let eventLoop = eventLoopGroup.next()
        let handshake = tls.map { _ in eventLoop.makePromise(of: Void.self) }
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(configuration.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.socketOption(.so_keepalive), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        let handler = try NIOSSLClientHandler(context: tls, serverHostname: serverName)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                    if let handshake {
                        try channel.pipeline.syncOperations.addHandler(RESPTLSHandshakeWatch(handshake: handshake))
                    }
                    let handler = RESPChannelHandler(
                        limits: limits,
                        commandTimeout: commandTimeout,
                        closeReason: closeReason,
                        logger: logger
                    )
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        do {
            let channel = try await bootstrap.connect(host: configuration.host, port: configuration.port).get()
            if let handshake { try await awaitHandshake(handshake, on: channel, by: deadline, configuration) }
            return (channel, closeReason)
        } catch let error as RESPError {
            handshake?.fail(error)
            throw error
        } catch {
            handshake?.fail(error)
            let timedOut = error is ChannelError && "\(error)".contains("connectTimeout")
            throw RESPError(
                timedOut ? .timeout : .connectFailed,
                "cannot connect to \(configuration.host):\(configuration.port)",
                underlying: error
            )
        }
    }

    /// Waits for the TLS handshake until `deadline` (the connect timeout), closing the channel if it fails.
    private static func awaitHandshake(
        _ handshake: EventLoopPromise<Void>,
        on channel: any Channel,
        by deadline: NIODeadline,
        _ configuration: RESPConnection.Configuration
    ) async throws {
        let timeout = handshake.futureResult.eventLoop.scheduleTask(deadline: deadline) {
            handshake.fail(RESPTLSHandshakeWatch.timedOut(after: configuration.connectTimeout))
        }
        defer { timeout.cancel() }
        do {
            try await handshake.futureResult.get()
        } catch {
            try? await channel.close()
            throw error
        }
    }

    private static func makeTLSContext(_ tls: RESPConnection.Configuration.TLS) throws -> NIOSSLContext {
        var settings = TLSConfiguration.makeClientConfiguration()
        switch tls.verification {
        case .full: settings.certificateVerification = .fullVerification
        case .certificateAuthorityOnly: settings.certificateVerification = .noHostnameVerification
        case .none: settings.certificateVerification = .none
        }
        if let file = tls.certificateAuthorityFile { settings.trustRoots = .file(file) }
        do {
            return try NIOSSLContext(configuration: settings)
        } catch {
            throw RESPError(
                .tls,
                "cannot set up TLS (CA file \(tls.certificateAuthorityFile ?? "none"))",
                underlying: error
            )
        }
    }

    private static func isAddress(_ host: String) -> Bool {
        host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
    }
}
