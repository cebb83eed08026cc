import ArgumentParser
import Foundation
import Sluice

/// `sluice optimize --target URL [--table T]`: reclaim space and refresh statistics.
struct OptimizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Reclaim space and refresh planner statistics (SQLite: VACUUM and ANALYZE)."
    )

    @OptionGroup var target: TargetOptions

    @Option(help: "The table (default: the whole target).")
    var table: String?

    @OptionGroup var output: OutputOptions

    func run() async throws {
        do {
            let report = try await withLoader(target.resolved, factories: Targets.factories) { loader in
                try await loader.optimize(table: table)
            }
            if output.json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                Terminal.print(String(decoding: try encoder.encode(report), as: UTF8.self))
                return
            }
            var lines = [
                "ran \(report.operations.joined(separator: ", ")) in \(Formatting.duration(report.durationSeconds))"
            ]
            if let before = report.bytesBefore, let after = report.bytesAfter {
                lines.append("size \(Formatting.bytes(before)) → \(Formatting.bytes(after))")
            }
            Terminal.print(lines.joined(separator: "\n"))
        } catch {
            Terminal.report(error)
            throw ExitCode.failure
        }
    }
}
