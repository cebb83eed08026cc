import Logging
import Sluice
import SluiceFiles

/// One table's outcome when the stored policies run.
public struct PolicyRun: Sendable, Encodable {
    /// The table.
    public var table: String
    /// The policy that ran.
    public var policy: ArchivePolicy
    /// What the archive did, when it succeeded.
    public var result: ArchiveResult?
    /// The one-line error, when it failed.
    public var error: String?
}

extension Archiver {
    /// Runs every table's stored ``ArchivePolicy`` on `source`, one table after another, and reports each. A table
    /// that fails does not stop the others; a run with nothing to archive is a success, and a run after a crash
    /// finishes what the crash left (see ``archive(_:from:to:)``), so this is safe to run from cron.
    public static func applyPolicies(
        in source: any TableSettings,
        today: CivilDate,
        logger: Logger = Logger(label: "sluice.archive")
    ) async throws -> [PolicyRun] {
        var runs: [PolicyRun] = []
        for table in try await source.tablesWithSettings() {
            guard let policy = try await ArchivePolicy.stored(in: source, table: table) else { continue }
            var run = PolicyRun(table: table, policy: policy)
            do {
                guard let schema = try await source.schema(of: table) else {
                    throw SluiceError(.notFound, "table '\(table)' does not exist in \(source.target)")
                }
                let selection = try policy.selection(today: today, schema: schema, table: table)
                let archive = try await FileLoader.factory.makeLoader(url: TargetURL(policy.archive), logger: logger)
                guard let files = archive as? FileLoader else {
                    throw SluiceError(
                        .unsupportedTarget,
                        "table '\(table)': the archive policy's target is not a file target"
                    )
                }
                run.result = try await Archiver.archive(
                    ArchiveRequest(table: table, selection: selection, archiveTable: policy.archiveTable),
                    from: source,
                    to: files
                )
            } catch let error as SluiceError {
                run.error = error.message
            }
            runs.append(run)
        }
        return runs
    }
}
