import RESP
import Sluice

/// Sends a load's commands in pipelines, retrying a whole pipeline after a dropped connection or a transient
/// error, and turning an error reply into a one-line error naming its key.
///
/// Every command a load sends is idempotent (a `SET` of the same value, `UNLINK`, an `XADD` with an explicit
/// id), so a retried pipeline leaves exactly the intended keys.
struct CacheSender: Sendable {
    let server: CacheServer
    let retry: RetryPolicy
    let table: String

    /// What one pipeline did.
    struct Sent: Sendable {
        /// The commands whose reply was null, by index.
        var nullIndexes: [Int]
        /// How many times the pipeline was sent again.
        var retries: Int
    }

    func send(_ commands: [CacheCommand]) async throws -> Sent {
        guard !commands.isEmpty else { return Sent(nullIndexes: [], retries: 0) }
        let describe: (Int) -> String = { commands[$0].keyText }
        return try await send(describing: describe) { try await server.pipeline(commands) }
    }

    /// Sends any number of commands in pipelines of ``chunkSize``, running `beforeEach` before every one (a lock
    /// renewal); null indexes are positions in `commands`, retries the sum.
    func sendAll(
        _ commands: [CacheCommand],
        beforeEach: () async throws -> Void = {}
    ) async throws -> Sent {
        var all = Sent(nullIndexes: [], retries: 0)
        for start in stride(from: 0, to: commands.count, by: Self.chunkSize) {
            try await beforeEach()
            let sent = try await send(Array(commands[start..<min(start + Self.chunkSize, commands.count)]))
            all.nullIndexes += sent.nullIndexes.map { $0 + start }
            all.retries += sent.retries
        }
        return all
    }

    /// Commands per pipeline of ``sendAll(_:beforeEach:)``.
    static let chunkSize = 16_384

    func send(_ batch: CacheBatch) async throws -> Sent {
        guard !batch.isEmpty else { return Sent(nullIndexes: [], retries: 0) }
        return try await send(describing: batch.keyText(at:)) { try await server.pipeline(batch) }
    }

    private func send(
        describing key: (Int) -> String,
        _ pipeline: () async throws -> PipelineOutcome
    ) async throws -> Sent {
        var retries = 0
        let attempt: () async throws -> PipelineOutcome = {
            let outcome = try await pipeline()
            try check(outcome, key: key)
            return outcome
        }
        let outcome = try await retry.run(
            isTransient: Self.isTransient,
            onRetry: { _, _ in retries += 1 },
            attempt
        )
        return Sent(nullIndexes: outcome.nullIndexes, retries: retries)
    }

    /// Throws for the first error reply that is not a replayed `XADD` (its entry is there already).
    private func check(_ outcome: PipelineOutcome, key: (Int) -> String) throws {
        guard outcome.failed > 0 else { return }
        for failure in outcome.errors {
            if failure.error.message.contains("equal or smaller than the target stream top item") { continue }
            let key = key(failure.index)
            if failure.error.kind == .retryable {
                throw RESPError(.server, "key \(key): \(failure.error.message)", serverError: failure.error)
            }
            throw SluiceError(.targetFailure, "table '\(table)': key \(key): \(failure.error.message)")
        }
        if outcome.failed > outcome.errors.count {
            throw SluiceError(
                .targetFailure,
                "table '\(table)': \(outcome.failed) commands failed (\(outcome.failuresByPrefix))"
            )
        }
    }

    static func isTransient(_ error: any Error) -> Bool {
        if let error = error as? RESPError { return error.isRetryable }
        return (error as? SluiceError)?.isTransient ?? false
    }
}
