import ArgumentParser
import Foundation
import Sluice

/// `sluice versions --target URL --table T`: the recorded data versions, oldest first.
struct VersionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "versions",
        abstract: "List a table's data versions, oldest first."
    )

    @OptionGroup var target: TargetOptions

    @Option(help: "The table.")
    var table: String

    @OptionGroup var output: OutputOptions

    func run() async throws {
        do {
            let versions = try await withLoader(target.resolved, factories: Targets.factories) { loader in
                try await loader.versions(table: table)
            }
            if output.json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                Terminal.print(String(decoding: try encoder.encode(versions), as: UTF8.self))
                return
            }
            guard !versions.isEmpty else {
                Terminal.print("table '\(table)' has no versions")
                return
            }
            var rows = TextTable(header: [
                "version", "created", "strategy", "rows", "ins", "upd", "del", "skip",
                "checksum", "source",
            ])
            for version in versions {
                let metrics = version.metrics
                rows.add([
                    version.id, version.createdAt.description, version.strategy.rawValue,
                    Formatting.count(version.recordCount), Formatting.count(metrics.recordsInserted),
                    Formatting.count(metrics.recordsUpdated), Formatting.count(metrics.recordsDeleted),
                    Formatting.count(metrics.recordsSkipped), String(version.checksum.prefix(16)),
                    version.source,
                ])
            }
            Terminal.print(rows.render())
        } catch {
            Terminal.report(error)
            throw ExitCode.failure
        }
    }
}
