import Logging
import Sluice

extension RedisLoader {
    /// Before a keyed load writes anything: repairs the table if an earlier load did not finish (it left a
    /// ``CacheLoadMark``; see ``CacheTableRepair``), then marks this load's start.
    ///
    /// - Returns: the key state the load classifies against (the repaired one), the repair's report, and this
    ///   load's mark (`nil` for a table of streams, whose unfinished appends are dropped by the stream writer).
    func repairAndMark(
        table: String,
        plan: LoadPlan,
        parent: DataVersion?,
        layout: CacheTableLayout,
        state: CacheTableState,
        lock: CacheTableLock
    ) async throws -> (CacheTableState, CacheTableRepair.Report?, CacheLoadMark?) {
        guard !layout.isStream else { return (state, nil, nil) }
        let tableKeys = keys(table)
        var state = state
        var report: CacheTableRepair.Report?
        if let dead = try await CacheLoadMark.find(tableKeys, server: server) {
            let repair = CacheTableRepair(
                server: server,
                target: options,
                table: table,
                layout: layout,
                schema: parent?.schema ?? plan.tableSchema,
                logger: logger
            )
            (state, report) = try await repair.run(dead, state: state)
            logger.warning(
                "repaired the table before loading",
                metadata: ["table": "\(table)", "repair": "\(report.map(\.description) ?? "")"]
            )
        }
        // Values the repair kept are not the last version's: should this load fail too, the next repair must read
        // every key again.
        var mark = CacheLoadMark(load: lock.token, parent: parent?.id)
        mark.touchesExisting = report?.changesState == true
        try await mark.write(tableKeys, server: server)
        return (state, report, mark)
    }
}
