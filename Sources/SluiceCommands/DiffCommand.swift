import ArgumentParser
import Foundation
import Sluice

/// `sluice diff --target URL --table T V1 V2 [--samples N] [--json]`: rows inserted, updated and deleted going
/// from version V1 to version V2, with a few of each.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two versions of a table: rows inserted, updated and deleted, with samples.",
        discussion: """
            Versions are the ids `sluice versions` lists; either may be the older. Keyed tables compare rows by \
            key; keyless tables by content (a row more often in V2 is inserted, more often in V1 deleted).
            """
    )

    @OptionGroup var target: TargetOptions

    @Option(help: "The table.")
    var table: String

    @Argument(help: "The version to compare from.")
    var from: String

    @Argument(help: "The version to compare to.")
    var to: String

    @Option(help: "Show up to N rows of each kind of change.")
    var samples = 5

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard samples >= 0 else { throw ValidationError("--samples must be 0 or more") }
    }

    func run() async throws {
        let report: (diff: VersionDiff, columns: [String])
        do {
            report = try await target.withVersionHistory { history in
                let diff = try await history.diff(table: table, from: from, to: to, samples: samples)
                let versions = try await history.versions(table: table)
                let schema = versions.first { $0.id == to }?.schema ?? versions.last?.schema
                return (diff, schema?.columns.map(\.name) ?? [])
            }
        } catch {
            Terminal.report(error)
            throw ExitCode.failure
        }
        if output.json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            Terminal.print(String(decoding: try encoder.encode(report.diff), as: UTF8.self))
            return
        }
        Terminal.print(Self.render(report.diff, columns: report.columns))
    }

    /// The counts on one line, then the samples as a table in `columns`' order (any other column after them).
    static func render(_ diff: VersionDiff, columns: [String]) -> String {
        let summary =
            "table '\(diff.table)' from \(diff.from) to \(diff.to): \(Formatting.count(diff.inserted)) inserted, "
            + "\(Formatting.count(diff.updated)) updated, \(Formatting.count(diff.deleted)) deleted"
        guard !diff.samples.isEmpty else { return summary }
        let named = Set(columns)
        let others = Set(diff.samples.flatMap(\.row.keys)).subtracting(named).sorted()
        let order = columns + others
        var table = TextTable(header: ["change"] + order, alignsNumbers: false)
        func cells(_ row: [String: String?]) -> [String] {
            order.map { name in (row[name] ?? nil) ?? "NULL" }
        }
        for sample in diff.samples {
            table.add([sample.change] + cells(sample.row))
            if let before = sample.before { table.add(["  before"] + cells(before)) }
        }
        return summary + "\n\n" + table.render()
    }
}
