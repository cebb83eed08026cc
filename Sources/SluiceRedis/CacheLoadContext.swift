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
    /// Whether an earlier append of the table loaded exactly this input (then an unforced append is a no-op).
    let isRerun: @Sendable (ContentChecksum) async throws -> Bool

    var table: String { plan.table }

    /// Renews the table's lock when a minute has passed since `last` (then `last` is now): a load of any length
    /// keeps its lock.
    func renewLockIfDue(_ last: inout ContinuousClock.Instant) async throws {
        guard ContinuousClock.now - last > .seconds(60) else { return }
        try await lock.renew()
        last = .now
    }

    /// For plain string values, which keep only one column: the reader of key columns back from keys.
    var keyReader: CacheValueDecoder? {
        guard case .string = layout.format, !layout.isStream else { return nil }
        return CacheValueDecoder(layout: layout, schema: plan.tableSchema, namespace: target.namespace, table: table)
    }
}
