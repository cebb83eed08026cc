import Logging
import Sluice
import SluiceArchive
import SluiceFiles
import SluicePipeline

/// Runs one pipeline job with the same operations as the CLI's commands (`load`, `export`, `archive`,
/// `retain`, `verify`), under a logger carrying the job's name.
struct PipelineRunner: Sendable {
    var logger: Logger

    /// Runs `job`; throws its error when it fails (a table that does not verify fails a verify job).
    func run(_ job: PipelineJob) async throws -> JobResult {
        var logger = logger
        logger[metadataKey: "job"] = "\(job.name)"
        logger[metadataKey: "table"] = "\(job.table)"
        logger.info("job started", metadata: ["kind": "\(job.kind.rawValue)", "target": "\(job.target.redacted)"])
        do {
            let result = try await execute(job, logger: logger)
            logger.info("job finished", metadata: ["version_id": "\(result.versionID ?? "")"])
            return result
        } catch {
            if job.kind == .load { LoadMetricsEmitter(target: job.target.url, table: job.table).failed() }
            logger.error("job failed", metadata: ["error": "\(ErrorText.oneLine(error))"])
            throw error
        }
    }

    private func execute(_ job: PipelineJob, logger: Logger) async throws -> JobResult {
        switch job.action {
        case .load(let load):
            let (result, strategy) = try await Self.operation(load, url: job.target.url).run(logger: logger)
            return Self.result(result, strategy: strategy)
        case .export(let export):
            let operation = ExportOperation(
                source: job.target.url,
                table: export.table,
                destination: export.destination.url,
                destinationTable: export.destinationTable,
                window: export.window,
                sinceLast: export.sinceLast
            )
            let result = try await operation.run(logger: logger)
            return JobResult(rows: result.rows, versionID: result.version?.id, summary: Self.summary(result))
        case .archive(let archive):
            let policy = ArchivePolicy(
                olderThanDays: archive.olderThanDays,
                before: archive.before,
                column: archive.column,
                archive: archive.archive.url,
                archiveTable: archive.archiveTable
            )
            let result = try await ArchiveOperation(table: archive.table, policy: policy)
                .run(source: job.target.url, logger: logger)
            return JobResult(
                rows: result.rows,
                versionID: result.batches.last?.archiveVersionID,
                summary: Self.summary(result)
            )
        case .retain(let retain):
            let policy = RetentionPolicy(
                keepVersions: retain.keepVersions,
                keepDays: retain.keepDays,
                archiveDirectory: retain.archiveTo
            )
            let report = try await RetainOperation(url: job.target.url, table: retain.table, policy: policy)
                .run(logger: logger)
            return JobResult(summary: RetainOperation.text(report, archived: retain.archiveTo != nil))
        case .verify(let verify):
            return try await Self.verify(verify.table, url: job.target.url, logger: logger)
        }
    }

    /// The load operation of a load job.
    static func operation(_ load: LoadJob, url: String) -> LoadOperation {
        var operation = LoadOperation(files: load.files, url: url, table: load.table)
        operation.key = load.key
        operation.strategy = load.strategy
        operation.cursor = load.cursor
        operation.onConflict = load.onConflict
        operation.deleteMissing = load.deleteMissing
        operation.force = load.force
        operation.recordsHistory = load.recordsHistory
        operation.schemaFile = load.schemaFile?.value
        operation.maxErrors = load.maxErrors
        operation.rejectFile = load.rejectFile
        operation.validators = load.validators.map(\.validator)
        operation.indexes = load.indexes
        operation.partitioning = load.partitioning
        operation.readOptions = load.readOptions
        return operation
    }

    private static func result(_ result: LoadResult, strategy: LoadingStrategy) -> JobResult {
        let metrics = result.metrics
        var summary =
            "\(strategy.rawValue): \(Formatting.count(metrics.recordsProcessed)) processed, "
            + "\(Formatting.count(metrics.recordsInserted)) inserted, \(Formatting.count(metrics.recordsUpdated)) "
            + "updated, \(Formatting.count(metrics.recordsSkipped)) skipped"
        if metrics.recordsDeleted > 0 { summary += ", \(Formatting.count(metrics.recordsDeleted)) deleted" }
        if metrics.recordsFailed > 0 { summary += ", \(Formatting.count(metrics.recordsFailed)) rejected" }
        if result.version == nil { summary += " (unchanged)" }
        return JobResult(rows: metrics.recordsProcessed, versionID: result.currentVersionID, summary: summary)
    }

    /// An export in a few words: the mode, the changes and where they went.
    private static func summary(_ result: ExportResult) -> String {
        let place = "\(result.destination) table '\(result.destinationTable)'"
        guard result.mode != .upToDate else {
            return "up to date: \(place) holds source version \(result.sourceVersionID ?? "-")"
        }
        return "\(result.mode.rawValue) (\(result.selection)): \(Formatting.count(result.inserted)) inserted, "
            + "\(Formatting.count(result.updated)) updated, \(Formatting.count(result.deleted)) deleted into \(place)"
    }

    /// An archive run in a few words.
    private static func summary(_ result: ArchiveResult) -> String {
        guard !result.batches.isEmpty else { return "nothing to archive (\(result.selection))" }
        return "\(Formatting.count(result.rows)) rows (\(result.selection)) archived to \(result.archive) table "
            + "'\(result.archiveTable)', verified, then deleted"
    }

    private static func verify(_ table: String, url: String, logger: Logger) async throws -> JobResult {
        let verification = try await withLoader(url, factories: Targets.factories, logger: logger) { loader in
            try await loader.verify(table: table)
        }
        guard verification.isValid else {
            guard let version = verification.versionID else {
                throw SluiceError(.notFound, "table '\(table)' has no recorded version to verify against")
            }
            throw SluiceError(
                .versionConflict,
                "table '\(table)' does not match version \(version): expected "
                    + "\(verification.expectedRecordCount ?? 0) rows, checksum \(verification.expectedChecksum ?? "-"); "
                    + "found \(verification.actualRecordCount) rows, checksum \(verification.actualChecksum)"
            )
        }
        return JobResult(
            rows: verification.actualRecordCount,
            versionID: verification.versionID,
            summary: "matches version \(verification.versionID ?? "-") (checksum \(verification.actualChecksum))"
        )
    }
}
