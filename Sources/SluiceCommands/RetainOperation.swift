import Logging
import Sluice
import SluiceFiles

/// One retention run on a file target table: what `sluice retain` and a pipeline's retain jobs run.
struct RetainOperation: Sendable {
    /// The file target's URL.
    var url: String
    var table: String
    var policy: RetentionPolicy

    /// Opens the target, removes (or archives) the versions outside the policy, closes it.
    func run(logger: Logger = Logger(label: "sluice")) async throws -> RetentionReport {
        try await withLoader(url, factories: Targets.factories, logger: logger) { loader in
            guard let files = loader as? FileLoader else {
                throw SluiceError(
                    .invalidRequest,
                    "\(loader.target): retain applies to file targets (file:DIR); databases keep one state"
                )
            }
            return try await files.retain(table: table, policy: policy)
        }
    }

    /// One line on a retention run, as `sluice retain` prints it.
    static func text(_ report: RetentionReport, archived: Bool) -> String {
        let versions = report.removedVersions.count
        var line =
            "table '\(report.table)': removed \(versions) version\(versions == 1 ? "" : "s") and "
            + "\(report.removedFiles) file\(report.removedFiles == 1 ? "" : "s") "
            + "(\(Formatting.bytes(report.removedBytes))); \(report.keptVersions) kept"
        if archived { line += "; \(report.archivedFiles) archived" }
        return line
    }
}
