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
    /// This load's mark (``CacheLoadMark``), which records the keys that existed before the load touches them;
    /// `nil` for a table of streams.
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

    /// Records, in this load's mark, the keys of `commands` that existed: before the load writes or deletes them.
    func markTouching(_ commands: [CacheCommand]) async throws {
        guard var mark, !commands.isEmpty else { return }
        let touched = commands.map(\.key).filter { state.index(of: $0) != nil }
        try await mark.recordTouched(
            touched,
            keys: CacheTableKeys(namespace: target.namespace, table: table),
            server: server
        )
    }

    /// For plain string values, which keep only one column: the reader of key columns back from keys.
    var keyReader: CacheValueDecoder? {
        guard case .string = layout.format, !layout.isStream else { return nil }
        return CacheValueDecoder(layout: layout, schema: plan.tableSchema, namespace: target.namespace, table: table)
    }
}
