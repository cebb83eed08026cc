import Sluice

/// What `sluice load` prints: a summary table on a terminal, one JSON object with `--json`.
struct LoadReport {
    let result: LoadResult
    let strategy: LoadingStrategy
    let target: String
    let files: [String]
    /// The id the load's log lines carry (`load_id`).
    var loadID: String?

    func print(json: Bool) {
        Terminal.print(json ? jsonText : table)
    }

    var jsonText: String {
        let metrics = result.metrics
        var object = JSONObject()
        object["success"] = .bool(true)
        object["target"] = .string(URLRedaction.redacted(target))
        object["table"] = .string(result.table)
        object["strategy"] = .string(strategy.rawValue)
        object["records_processed"] = .int(metrics.recordsProcessed)
        object["records_inserted"] = .int(metrics.recordsInserted)
        object["records_updated"] = .int(metrics.recordsUpdated)
        object["records_deleted"] = .int(metrics.recordsDeleted)
        object["records_skipped"] = .int(metrics.recordsSkipped)
        object["records_failed"] = .int(metrics.recordsFailed)
        object["validation_errors"] = .int(metrics.validationErrors)
        object["bytes_read"] = .int64(metrics.bytesRead)
        object["duration_seconds"] = .double(metrics.durationSeconds)
        object["throughput"] = .double(metrics.throughput)
        object["data_quality_score"] = .double(metrics.dataQualityScore)
        object["success_rate"] = .double(metrics.successRate)
        object["retries"] = .int(metrics.retries)
        object["changed"] = .bool(result.version != nil)
        object["version_id"] = .string(result.currentVersionID)
        object["checksum"] = .string(result.checksum)
        object["record_count"] = result.version.map { .int($0.recordCount) } ?? JSONValue(text: "null")
        object["load_id"] = loadID.map { .string($0) }
        if !result.notes.isEmpty { object["notes"] = .array(result.notes.map { .string($0) }) }
        return object.text
    }

    var table: String {
        let metrics = result.metrics
        var table = TextTable(header: ["load", URLRedaction.redacted(target)], alignsNumbers: false)
        table.add(["table", result.table])
        table.add(["source", files.joined(separator: ", ")])
        table.add(["records processed", Formatting.count(metrics.recordsProcessed)])
        table.add(["inserted", Formatting.count(metrics.recordsInserted)])
        table.add(["updated", Formatting.count(metrics.recordsUpdated)])
        if metrics.recordsDeleted > 0 { table.add(["deleted", Formatting.count(metrics.recordsDeleted)]) }
        table.add(["skipped", Formatting.count(metrics.recordsSkipped)])
        table.add(["failed", Formatting.count(metrics.recordsFailed)])
        table.add(["duration", Formatting.duration(metrics.durationSeconds)])
        table.add(["throughput", Formatting.count(Int(metrics.throughput)) + " rows/s"])
        if metrics.bytesRead > 0 { table.add(["bytes read", Formatting.bytes(metrics.bytesRead)]) }
        table.add(["data quality", Formatting.percent(metrics.dataQualityScore)])
        table.add(["version", (result.currentVersionID ?? "-") + (result.version == nil ? " (unchanged)" : "")])
        table.add(["checksum", result.checksum])
        for note in result.notes { table.add(["note", note]) }
        return table.render()
    }
}
