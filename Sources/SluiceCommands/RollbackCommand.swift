import ArgumentParser
import Foundation
import Sluice

/// `sluice rollback --target URL --table T --to V [--json]`: make a table hold what it held at version V,
/// recorded as a new version.
struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Make a table hold exactly what it held at an earlier version (recorded as a new version).",
        discussion: """
            The new version has V's rows and checksum (`sluice verify` checks it) and metadata rollback.to = V. \
            Rolling back to the latest version changes nothing. A version whose data is no longer kept (removed \
            by retention) cannot be reached; the error names the oldest version that can.
            """
    )

    @OptionGroup var target: TargetOptions

    @Option(help: "The table.")
    var table: String

    @Option(name: .customLong("to"), help: "The version to go back to (an id `sluice versions` lists).")
    var version: String

    @OptionGroup var output: OutputOptions

    @OptionGroup var observability: ObservabilityOptions

    func run() async throws {
        try await observability.run { _ in try await runObserved() }
    }

    private func runObserved() async throws {
        let result: LoadResult
        do {
            result = try await target.withVersionHistory { history in
                try await history.rollback(table: table, to: version)
            }
        } catch {
            Terminal.report(error)
            throw ExitCode.failure
        }
        Terminal.print(output.json ? jsonText(result) : text(result))
    }

    func jsonText(_ result: LoadResult) -> String {
        var object = JSONObject()
        object["success"] = .bool(true)
        object["table"] = .string(result.table)
        object["rolled_back_to"] = .string(version)
        object["changed"] = .bool(result.version != nil)
        object["version_id"] = .string(result.currentVersionID)
        object["checksum"] = .string(result.checksum)
        object["record_count"] = result.version.map { .int($0.recordCount) } ?? JSONValue(text: "null")
        object["records_inserted"] = .int(result.metrics.recordsInserted)
        object["records_deleted"] = .int(result.metrics.recordsDeleted)
        return object.text
    }

    func text(_ result: LoadResult) -> String {
        guard let recorded = result.version else {
            return "table '\(result.table)' is at version \(version) already; nothing changed"
        }
        return "table '\(result.table)': rolled back to version \(version) as version \(recorded.id) "
            + "(\(Formatting.count(recorded.recordCount)) rows, checksum \(result.checksum))"
    }
}
