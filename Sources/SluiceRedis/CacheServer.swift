import RESP
import Sluice

/// The server or cluster a cache loader talks to: one pool, or a cluster client that routes by slot.
enum CacheServer: Sendable {
    case single(RESPClient)
    case cluster(RESPClusterClient)

    /// Sends one command; an error reply throws.
    @discardableResult
    func send(_ command: RESPCommand) async throws -> RESPValue {
        switch self {
        case .single(let client): return try await client.send(command)
        case .cluster(let client): return try await client.send(command)
        }
    }

    /// Pipelines `commands`, recording which replies were null.
    func pipeline(_ commands: [CacheCommand]) async throws -> PipelineOutcome {
        switch self {
        case .single(let client):
            return try await client.pipeline(commands: commands, maximumErrors: 10, recordingNulls: true)
        case .cluster(let client):
            return try await client.pipeline(commands: commands, maximumErrors: 10, recordingNulls: true)
        }
    }

    /// Pipelines one batch's commands: encoded ones in one write to the server, or routed by slot in a cluster.
    func pipeline(_ batch: CacheBatch) async throws -> PipelineOutcome {
        switch self {
        case .single(let client) where batch.isEncoded:
            return try await client.pipeline(
                encoded: batch.buffer,
                count: batch.count,
                maximumErrors: 10,
                recordingNulls: true
            )
        default:
            return try await pipeline(batch.commands)
        }
    }

    /// Whether batches are encoded into one buffer (one server) rather than routed command by command.
    var encodesBatches: Bool {
        if case .single = self { return true }
        return false
    }

    /// Pipelines general commands (a version's state chunks, unlinks of old ones).
    func pipeline(_ commands: [RESPCommand]) async throws -> PipelineOutcome {
        switch self {
        case .single(let client): return try await client.pipeline(commands: commands, maximumErrors: 10)
        case .cluster(let client): return try await client.pipeline(commands: commands, maximumErrors: 10)
        }
    }

    /// Replies to `commands` in order, each command sent on its own slot's node (reads of values back).
    func replies(_ commands: [RESPCommand]) async throws -> [RESPValue] {
        switch self {
        case .single(let client):
            return try await client.pipeline(commands: commands, collectingReplies: true).replies
        case .cluster(let client):
            return try await client.replies(to: commands)
        }
    }
}
