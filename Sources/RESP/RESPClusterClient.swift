import Logging
import NIOCore
import NIOPosix
import Synchronization

/// A command that knows its cluster hash slot: what a cluster pipeline routes.
public protocol RESPClusterRoutable: RESPCommandEncodable {
    /// The slot of the command's key (``RESPHashSlot``); all its keys must share it.
    var hashSlot: Int { get }
}

extension RESPCommand: RESPClusterRoutable {
    /// The slot of the first argument after the name (the key, for the commands a loader sends); 0 without one.
    public var hashSlot: Int {
        guard arguments.count > 1 else { return 0 }
        switch arguments[1] {
        case .string(let key): return RESPHashSlot.slot(of: key)
        case .bytes(let key): return RESPHashSlot.slot(of: key)
        case .integer(let key): return RESPHashSlot.slot(of: String(key))
        }
    }
}

/// A Redis Cluster client, used inside ``withRESPClusterClient(_:eventLoopGroup:logger:_:)``: a pool per primary,
/// commands routed by slot, pipelines split per node and merged back by index, `MOVED` and `ASK` followed.
public final class RESPClusterClient: Sendable {
    /// The most redirects one command follows before its last one counts as its error.
    public static let maximumRedirects = 5

    private let configuration: RESPClient.Configuration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let state = Mutex<(topology: RESPClusterTopology?, clients: [RESPClusterTopology.Node: RESPClient])>(
        (nil, [:])
    )

    init(configuration: RESPClient.Configuration, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// The slot table in use (read from the seed on first use, again after a `MOVED`).
    public func topology() async throws -> RESPClusterTopology {
        if let known = state.withLock({ $0.topology }) { return known }
        return try await refreshTopology()
    }

    /// Reads the topology again, from the seed.
    @discardableResult
    public func refreshTopology() async throws -> RESPClusterTopology {
        let seed = RESPClusterTopology.Node(host: configuration.connection.host, port: configuration.connection.port)
        let topology = try await client(for: seed).withConnection { try await RESPClusterTopology.fetch(from: $0) }
        state.withLock { $0.topology = topology }
        logger.debug("RESP cluster topology", metadata: ["primaries": "\(topology.primaries)"])
        return topology
    }

    /// Replaces the slot table (tests use a stale one to provoke `MOVED`).
    func use(_ topology: RESPClusterTopology) {
        state.withLock { $0.topology = topology }
    }

    /// Sends `command` to its slot's primary, following redirects; an error reply throws.
    @discardableResult
    public func send(_ command: some RESPClusterRoutable & CustomStringConvertible & Sendable) async throws -> RESPValue
    {
        let reply = try await resend(command, slot: command.hashSlot, redirect: nil)
        if case .error(let line) = reply { throw RESPError(serverReply: line, context: command.description) }
        return reply
    }

    /// Splits `commands` by their slots' primaries, pipelines each part on its node concurrently and merges the
    /// counts: errors carry the command's index in `commands`. `MOVED` commands go again, pipelined, after the slot
    /// table is read again (at most ``maximumRedirects`` rounds); `ASK` ones one by one, each after `ASKING`.
    public func pipeline<Command: RESPClusterRoutable & Sendable>(
        commands: [Command],
        window: Int = RESPConnection.defaultWindow,
        maximumErrors: Int = 100,
        recordingNulls: Bool = false
    ) async throws -> PipelineOutcome {
        var outcome = PipelineOutcome(
            maximumErrors: maximumErrors,
            collectsReplies: false,
            recordsNullIndexes: recordingNulls
        )
        var pending = Array(commands.indices)
        for round in 0...Self.maximumRedirects {
            let redirected = try await pipelineRound(commands, indexes: pending, window: window, into: &outcome)
            var moved: [Int] = []
            for (index, error) in redirected {
                if error.redirect?.isAsk == true {
                    let reply = try await resend(commands[index], slot: commands[index].hashSlot, redirect: error)
                    outcome.recordResent(reply, index: index)
                } else if round == Self.maximumRedirects {
                    outcome.recordResent(.error(error.message), index: index)
                } else {
                    moved.append(index)
                }
            }
            guard !moved.isEmpty else { break }
            try await refreshTopology()
            pending = moved.sorted()
        }
        return outcome
    }

    /// Sends `commands` and returns every reply in order, error replies included: each node's part in one write,
    /// the nodes concurrently, redirected commands again on their own. For reads of moderate size (values read
    /// back); the bulk path is ``pipeline(commands:window:maximumErrors:recordingNulls:)``.
    public func replies<Command: RESPClusterRoutable & Sendable>(to commands: [Command]) async throws -> [RESPValue] {
        let topology = try await topology()
        var parts: [RESPClusterTopology.Node: [Int]] = [:]
        for index in commands.indices {
            guard let node = topology.primary(forSlot: commands[index].hashSlot) else {
                throw RESPError(.connectionUnusable, "no cluster node serves slot \(commands[index].hashSlot)")
            }
            parts[node, default: []].append(index)
        }
        var replies = [RESPValue](repeating: .null, count: commands.count)
        try await withThrowingTaskGroup(of: ([RESPValue], [Int]).self) { group in
            for (node, part) in parts {
                let client = client(for: node)
                group.addTask {
                    let answered = try await client.withConnection { connection in
                        try await connection.sendUnchecked(part.map { commands[$0] })
                    }
                    return (answered, part)
                }
            }
            for try await (answered, part) in group {
                for (position, index) in part.enumerated() { replies[index] = answered[position] }
            }
        }
        for index in replies.indices {
            guard case .error(let line) = replies[index], line.hasPrefix("MOVED ") || line.hasPrefix("ASK ") else {
                continue
            }
            replies[index] = try await resend(
                commands[index],
                slot: commands[index].hashSlot,
                redirect: RESPServerError(line)
            )
        }
        return replies
    }

    /// Pipelines the commands at `indexes`, each part on its slot's primary; returns the redirected ones.
    private func pipelineRound<Command: RESPClusterRoutable & Sendable>(
        _ commands: [Command],
        indexes: [Int],
        window: Int,
        into outcome: inout PipelineOutcome
    ) async throws -> [(index: Int, error: RESPServerError)] {
        let topology = try await topology()
        var parts: [RESPClusterTopology.Node: [Int]] = [:]
        for index in indexes {
            guard let node = topology.primary(forSlot: commands[index].hashSlot) else {
                throw RESPError(.connectionUnusable, "no cluster node serves slot \(commands[index].hashSlot)")
            }
            parts[node, default: []].append(index)
        }
        let maximumErrors = outcome.maximumErrors
        let recordsNullIndexes = outcome.recordsNullIndexes
        var redirected: [(index: Int, error: RESPServerError)] = []
        try await withThrowingTaskGroup(of: (PipelineOutcome, [Int]).self) { group in
            for (node, part) in parts {
                let client = client(for: node)
                group.addTask {
                    let counted = try await client.withConnection { connection in
                        try await connection.pipeline(
                            commands: part.lazy.map { commands[$0] },
                            window: window,
                            outcome: PipelineOutcome(
                                maximumErrors: maximumErrors,
                                collectsReplies: false,
                                recordsNullIndexes: recordsNullIndexes,
                                separatesRedirects: true
                            )
                        )
                    }
                    return (counted, part)
                }
            }
            for try await (counted, part) in group {
                outcome.merge(counted, indexes: part)
                redirected += counted.redirects.map { (part[$0.index], $0.error) }
            }
        }
        return redirected
    }

    /// Sends one command, following up to ``maximumRedirects`` redirects (the first may be given).
    private func resend(
        _ command: some RESPCommandEncodable & Sendable,
        slot: Int,
        redirect first: RESPServerError?
    ) async throws -> RESPValue {
        var redirect = first
        for _ in 0...Self.maximumRedirects {
            let reply: RESPValue
            if let target = redirect?.redirect, target.isAsk {
                let node = RESPClusterTopology.Node(
                    host: target.host.isEmpty ? configuration.connection.host : target.host,
                    port: target.port
                )
                reply = try await client(for: node).withConnection { connection in
                    try await connection.sendUnchecked([AnyCommand(RESPCommand("ASKING")), AnyCommand(command)])[1]
                }
            } else {
                if redirect != nil { try await refreshTopology() }
                guard let node = try await topology().primary(forSlot: slot) else {
                    throw RESPError(.connectionUnusable, "no cluster node serves slot \(slot)")
                }
                reply = try await client(for: node).withConnection { try await $0.sendUnchecked([command])[0] }
            }
            guard case .error(let line) = reply, line.hasPrefix("MOVED ") || line.hasPrefix("ASK ") else {
                return reply
            }
            redirect = RESPServerError(line)
        }
        return .error(redirect?.message ?? "redirected too often")
    }

    /// The pool of `node`, opened on first use.
    private func client(for node: RESPClusterTopology.Node) -> RESPClient {
        state.withLock { state in
            if let client = state.clients[node] { return client }
            var settings = configuration
            settings.connection.host = node.host
            settings.connection.port = node.port
            let client = RESPClient(configuration: settings, eventLoopGroup: eventLoopGroup, logger: logger)
            state.clients[node] = client
            return client
        }
    }

    func shutdown() async {
        let clients = state.withLock { Array($0.clients.values) }
        for client in clients { await client.shutdown() }
    }
}

/// One command of any encodable type (mixing `ASKING` with the command it precedes).
private struct AnyCommand: RESPCommandEncodable {
    let encodeInto: (inout RESPEncoder) -> Void
    init(_ command: some RESPCommandEncodable) { encodeInto = command.encode(into:) }
    func encode(into encoder: inout RESPEncoder) { encodeInto(&encoder) }
}

/// Runs `body` with a client of the cluster that `configuration` names a node of (the seed), and closes every
/// connection afterwards.
public func withRESPClusterClient<Result>(
    _ configuration: RESPClient.Configuration,
    eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
    logger: Logger = Logger(label: "sluice.resp"),
    _ body: (RESPClusterClient) async throws -> Result
) async throws -> Result {
    let client = RESPClusterClient(configuration: configuration, eventLoopGroup: eventLoopGroup, logger: logger)
    return try await scoped(client, close: { await $0.shutdown() }, body)
}
