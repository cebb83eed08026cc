import ArgumentParser
import Foundation
import Sluice

/// `sluice verify --target URL --table T`: exit 0 only when the table matches its latest version.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute a table's checksum and compare it with its latest version (exit 0 only on a match)."
    )

    @OptionGroup var target: TargetOptions

    @Option(help: "The table.")
    var table: String

    @OptionGroup var output: OutputOptions

    @OptionGroup var observability: ObservabilityOptions

    func run() async throws {
        try await observability.run { _ in try await runObserved() }
    }

    private func runObserved() async throws {
        let verification: Verification
        do {
            verification = try await withLoader(target.resolved, factories: Targets.factories) { loader in
                try await loader.verify(table: table)
            }
            VerificationMetrics(target: target.resolved, table: table).record(verification)
        } catch {
            Terminal.report(error)
            throw ExitCode.failure
        }
        if output.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            Terminal.print(String(decoding: try encoder.encode(verification), as: UTF8.self))
        } else if verification.isValid {
            Terminal.print(
                "ok: table '\(table)' matches version \(verification.versionID ?? "-") "
                    + "(\(Formatting.count(verification.actualRecordCount)) rows, checksum \(verification.actualChecksum))"
            )
        }
        guard verification.isValid else {
            if verification.versionID == nil {
                Terminal.writeError("error: table '\(table)' has no recorded version to verify against\n")
            } else {
                Terminal.writeError(
                    "error: table '\(table)' does not match version \(verification.versionID ?? "-"): "
                        + "expected \(verification.expectedRecordCount ?? 0) rows, checksum "
                        + "\(verification.expectedChecksum ?? "-"); found \(verification.actualRecordCount) rows, "
                        + "checksum \(verification.actualChecksum)\n"
                )
                for problem in verification.problems { Terminal.writeError("  \(problem)\n") }
            }
            throw ExitCode.failure
        }
    }
}
