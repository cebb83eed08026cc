import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A small pool of connections to one server, used inside ``withRESPClient(_:eventLoopGroup:logger:_:)``.
///
/// ``withConnection(_:)`` leases a connection (opening one while fewer than ``Configuration/maximumConnections``
/// are open, else waiting for one to come back); a connection that is no longer usable (closed, poisoned by a
/// cancelled pipeline, timed out) is dropped instead of going back.
public final class RESPClient: Sendable {
    /// A pool's settings.
    public struct Configuration: Sendable {
        /// How to open each connection.
        public var connection: RESPConnection.Configuration
        /// The most connections open at once; default 4.
        public var maximumConnections: Int

        /// A pool of at most `maximumConnections` connections made with `connection`.
        public init(connection: RESPConnection.Configuration, maximumConnections: Int = 4) {
            self.connection = connection
            self.maximumConnections = max(1, maximumConnections)
        }
    }

    private struct State {
        var idle: [RESPConnection] = []
        var open = 0
        var waiters: [(id: Int, continuation: CheckedContinuation<RESPConnection?, any Error>)] = []
        var nextWaiter = 0
        var closed = false
    }

    /// The pool's settings.
    public let configuration: Configuration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let state = Mutex(State())

    init(configuration: Configuration, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Runs `body` with a connection of the pool and gives it back afterwards (or drops it, if unusable).
    public func withConnection<Result>(
        _ body: (RESPConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await lease()
        do {
            let result = try await body(connection)
            release(connection)
            return result
        } catch {
            release(connection)
            throw error
        }
    }

    /// ``RESPConnection/send(_:)`` on a pooled connection.
    @discardableResult
    public func send(
        _ command: some RESPCommandEncodable & CustomStringConvertible & Sendable
    ) async throws -> RESPValue {
        try await withConnection { try await $0.send(command) }
    }

    /// ``RESPConnection/pipeline(commands:window:maximumErrors:collectingReplies:recordingNulls:)`` on a pooled connection.
    public func pipeline<Commands: Sequence>(
        commands: Commands,
        window: Int = RESPConnection.defaultWindow,
        maximumErrors: Int = 100,
        collectingReplies: Bool = false,
        recordingNulls: Bool = false
    ) async throws -> PipelineOutcome where Commands.Element: RESPCommandEncodable {
        try await withConnection { connection in
            try await connection.pipeline(
                commands: commands,
                window: window,
                maximumErrors: maximumErrors,
                collectingReplies: collectingReplies,
                recordingNulls: recordingNulls
            )
        }
    }

    /// ``RESPConnection/pipeline(encoded:count:window:maximumErrors:recordingNulls:)`` on a pooled connection.
    public func pipeline(
        encoded: ByteBuffer,
        count: Int,
        maximumErrors: Int = 100,
        recordingNulls: Bool = false
    ) async throws -> PipelineOutcome {
        try await withConnection { connection in
            try await connection.pipeline(
                encoded: encoded,
                count: count,
                maximumErrors: maximumErrors,
                recordingNulls: recordingNulls
            )
        }
    }

    /// Connections open right now (leased or idle).
    public var openConnections: Int { state.withLock { $0.open } }

    private enum Lease {
        case use(RESPConnection)
        case open
        case wait
    }

    private func lease() async throws -> RESPConnection {
        while true {
            let decision = state.withLock { state -> Result<Lease, RESPError> in
                guard !state.closed else { return .failure(RESPError(.connectionUnusable, "the client is closed")) }
                while let connection = state.idle.popLast() {
                    if connection.isUsable { return .success(.use(connection)) }
                    state.open -= 1
                }
                guard state.open < configuration.maximumConnections else { return .success(.wait) }
                state.open += 1
                return .success(.open)
            }
            switch try decision.get() {
            case .use(let connection):
                return connection
            case .open:
                do {
                    return try await RESPConnection.connect(
                        configuration.connection,
                        eventLoopGroup: eventLoopGroup,
                        logger: logger
                    )
                } catch {
                    state.withLock { $0.open -= 1 }
                    wakeOneWaiter()
                    throw error
                }
            case .wait:
                if let connection = try await waitForConnection() { return connection }
            }
        }
    }

    /// Waits until a connection comes back (returned) or a place frees up (`nil`: try again).
    private func waitForConnection() async throws -> RESPConnection? {
        let id = state.withLock { state in
            defer { state.nextWaiter += 1 }
            return state.nextWaiter
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let cancelled = state.withLock { state -> Bool in
                    if Task.isCancelled { return true }
                    state.waiters.append((id, continuation))
                    return false
                }
                if cancelled { continuation.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0) }
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }

    private func release(_ connection: RESPConnection) {
        let usable = connection.isUsable
        let waiter = state.withLock { state -> CheckedContinuation<RESPConnection?, any Error>? in
            if !usable || state.closed { state.open -= 1 }
            let waiter = state.waiters.isEmpty ? nil : state.waiters.removeFirst().continuation
            if usable && !state.closed && waiter == nil { state.idle.append(connection) }
            return waiter
        }
        if !usable || state.withLock({ $0.closed }) { connection.poison() }
        waiter?.resume(returning: usable ? connection : nil)
    }

    private func wakeOneWaiter() {
        let waiter = state.withLock { $0.waiters.isEmpty ? nil : $0.waiters.removeFirst().continuation }
        waiter?.resume(returning: nil)
    }

    /// Closes every idle connection and fails waiters; leased ones close as they come back.
    func shutdown() async {
        let (idle, waiters) = state.withLock { state in
            state.closed = true
            defer {
                state.open -= state.idle.count
                state.idle = []
                state.waiters = []
            }
            return (state.idle, state.waiters)
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: RESPError(.connectionUnusable, "the client is closed"))
        }
        for connection in idle { await connection.close() }
    }
}

/// Runs `body` with a pool of connections to `configuration`'s server, and closes them all afterwards, whether
/// `body` returns or throws. The event loop group is shared (NIO's singleton unless given); nothing outlives the
/// call.
public func withRESPClient<Result>(
    _ configuration: RESPClient.Configuration,
    eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    logger: Logger = Logger(label: "sluice.resp"),
    _ body: (RESPClient) async throws -> Result
) async throws -> Result {
    let client = RESPClient(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
    return try await scoped(client, close: { await $0.shutdown() }, body)
}

/// ``withRESPClient(_:eventLoopGroup:logger:_:)`` for a URL (`redis://[user:password@]host:port/db`, `rediss://…`).
public func withRESPClient<Result>(
    url: String,
    maximumConnections: Int = 4,
    eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    logger: Logger = Logger(label: "sluice.resp"),
    _ body: (RESPClient) async throws -> Result
) async throws -> Result {
    let configuration = RESPClient.Configuration(
        connection: try RESPConnection.Configuration(url: url),
        maximumConnections: maximumConnections
    )
    return try await withRESPClient(configuration, eventLoopGroup: eventLoopGroup, logger: logger, body)
}
