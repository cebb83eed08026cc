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
        var inherited = 0
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
            inherited = dead.touchedChunks
            logger.warning(
                "repaired the table before loading",
                metadata: ["table": "\(table)", "repair": "\(report.map(\.description) ?? "")"]
            )
        }
        // The dead load's touched keys stay recorded under this load's mark until this load records its version: if
        // it fails too, the next repair reads them again.
        var mark = CacheLoadMark(load: lock.token, parent: parent?.id)
        mark.touchedChunks = inherited
        try await mark.write(tableKeys, server: server)
        return (state, report, mark)
    }
}
