import Logging
import Sluice

/// Everything one cache load's writer needs: the connections, the plan, the table's layout and key state.
struct CacheLoadContext: Sendable {
    let server: CacheServer
    let target: RedisTarget
    let request: LoadRequest
    let plan: LoadPlan
    let parent: DataVersion?
    let state: CacheTableState
    let layout: CacheTableLayout
    let renderer: CacheKeyTemplate.Renderer
    let encoder: CacheValueEncoder
    let logger: Logger
    /// The table's lock, which the writers renew as they go (``renewLockIfDue(_:)``).
    let lock: CacheTableLock
    /// This load's mark (``CacheLoadMark``), which says when the load begins touching keys that existed; `nil` for
    /// a table of streams.
    let mark: CacheLoadMark?
    /// Whether an earlier append of the table loaded exactly this input (then an unforced append is a no-op).
    let isRerun: @Sendable (ContentChecksum) async throws -> Bool

    var table: String { plan.table }

    /// Renews the table's lock when a third of its lifetime has passed since `last` (then `last` is now), and
    /// throws if it was lost: beside the heartbeat of ``CacheTableLock/holding(_:)``, a writer notices a lost lock
    /// early.
    func renewLockIfDue(_ last: inout ContinuousClock.Instant) async throws {
        guard ContinuousClock.now - last > lock.lifetime / 3 else { return }
        try await lock.renew()
        last = .now
    }

    /// Says in this load's mark that it is about to write or delete keys that existed (`commands`, after the input
    /// was read), so that a repair after it reads every key back.
    func markTouching(_ commands: [CacheCommand]) async throws {
        guard var mark, !mark.touchesExisting, !commands.isEmpty, state.count > 0 else { return }
        mark.touchesExisting = true
        try await mark.write(CacheTableKeys(namespace: target.namespace, table: table), server: server)
    }
}
