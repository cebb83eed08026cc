import ArgumentParser
import Foundation
import Sluice

/// `sluice stats --target URL [--table T]`: rows, bytes, partitions, indexes with advice, and per-version counts.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Show rows, sizes, partitions, indexes (with advice) and per-version counts of a target's tables."
    )

    @OptionGroup var target: TargetOptions

    @Option(help: "Only this table.")
    var table: String?

    @OptionGroup var output: OutputOptions

    func run() async throws {
        do {
            let statistics = try await withLoader(target.resolved, factories: Targets.factories) { loader in
                try await loader.statistics(table: table)
            }
            if output.json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                Terminal.print(String(decoding: try encoder.encode(statistics), as: UTF8.self))
                return
            }
            Terminal.print(render(statistics))
        } catch {
            Terminal.report(error)
            throw ExitCode.failure
        }
    }

    func render(_ statistics: TargetStatistics) -> String {
        var lines = ["target  \(statistics.target)"]
        for (name, value) in statistics.details.sorted(by: { $0.key < $1.key }) { lines.append("\(name)  \(value)") }
        var tables = TextTable(header: ["table", "rows", "size", "partitions", "versions", "latest"])
        for table in statistics.tables {
            tables.add([
                table.name, Formatting.count(table.rowCount), table.bytes.map(Formatting.bytes) ?? "-",
                table.partitions.map(Formatting.count) ?? "-", Formatting.count(table.versions.count),
                table.versions.last?.id ?? "-",
            ])
        }
        lines += ["", tables.render()]
        for table in statistics.tables { lines += renderIndexes(table) }
        for table in statistics.tables where !table.details.isEmpty {
            lines.append("")
            for (name, value) in table.details.sorted(by: { $0.key < $1.key }) {
                lines.append("\(table.name) \(name)  \(value)")
            }
        }
        for table in statistics.tables where !table.versions.isEmpty {
            var versions = TextTable(header: ["\(table.name) version", "strategy", "rows", "ins", "upd", "del", "skip"])
            for version in table.versions {
                versions.add([
                    version.id, version.strategy.rawValue, Formatting.count(version.recordCount),
                    Formatting.count(version.inserted), Formatting.count(version.updated),
                    Formatting.count(version.deleted), Formatting.count(version.skipped),
                ])
            }
            lines += ["", versions.render()]
        }
        return lines.joined(separator: "\n")
    }

    /// The table's indexes (name, columns, size, scans) and the advice about them.
    func renderIndexes(_ table: TableStatistics) -> [String] {
        var lines: [String] = []
        if let indexes = table.indexes, !indexes.isEmpty {
            var rendered = TextTable(header: ["\(table.name) index", "columns", "size", "scans"])
            for index in indexes {
                rendered.add([
                    index.name + (index.isPrimaryKey ? " (primary key)" : ""),
                    index.columns.joined(separator: ", "), index.bytes.map(Formatting.bytes) ?? "-",
                    index.scans.map(Formatting.count) ?? "-",
                ])
            }
            lines += ["", rendered.render()]
        }
        for advice in table.advice ?? [] { lines.append("advice  \(table.name): \(advice.message)") }
        return lines
    }
}
