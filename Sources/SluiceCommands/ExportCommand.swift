import ArgumentParser
import Foundation
import Sluice
import SluiceArchive

/// `sluice export --target URL --table T --to file:DIR [--format F] [--compression C] [--since-last]
/// [--where-date-from D --where-date-to D]`: copy a table to files, with its lineage.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a table to files (or any target), full or since the last export, with its lineage.",
        discussion: """
            The destination table's version records the source, the source version, the selection, the rows and \
            their checksum. With --since-last, nothing is read when the source has no newer version, and otherwise \
            only changes are written, so the destination always equals a full export.
            """
    )

    @OptionGroup var target: TargetOptions

    @Option(help: "The table to export.")
    var table: String

    @Option(help: "The destination URL, usually file:DIR.")
    var to: String

    @Option(name: .customLong("as"), help: "The destination table (default: the same name).")
    var destinationTable: String?

    @OptionGroup var files: FileFormatOptions

    @Flag(name: .customLong("since-last"), help: "Write only what changed since the last export to this destination.")
    var sinceLast = false

    @OptionGroup var window: SelectionOptions

    @OptionGroup var output: OutputOptions
    @OptionGroup var observability: ObservabilityOptions

    func run() async throws {
        try await observability.run { _ in try await runObserved() }
    }

    private func runObserved() async throws {
        let result: ExportResult
        do {
            let destinationURL = try files.applied(to: to)
            result = try await withLoader(target.resolved, factories: Targets.factories) { source in
                try await withLoader(destinationURL, factories: Targets.factories) { destination in
                    guard let schema = try await source.schema(of: table) else {
                        throw SluiceError(.notFound, "table '\(table)' does not exist in \(source.target)")
                    }
                    let request = ExportRequest(
                        table: table,
                        destinationTable: destinationTable,
                        selection: try window.selection(schema: schema, table: table),
                        sinceLast: sinceLast
                    )
                    return try await Exporter.export(request, from: source, to: destination)
                }
            }
        } catch {
            Terminal.report(error)
            throw ExitCode.failure
        }
        if output.json {
            Terminal.print(try JSONText.encode(result))
            return
        }
        let rows = Formatting.count(result.rows)
        let place = "\(result.destination) table '\(result.destinationTable)'"
        switch result.mode {
        case .upToDate:
            Terminal.print(
                "up to date: \(place) already holds source version \(result.sourceVersionID ?? "-") of '\(table)' "
                    + "(\(rows) rows, checksum \(result.checksum))"
            )
        case .full, .incremental:
            let changes =
                "\(Formatting.count(result.inserted)) inserted, \(Formatting.count(result.updated)) updated, "
                + "\(Formatting.count(result.deleted)) deleted"
            Terminal.print(
                "exported \(rows) rows of '\(table)' (\(result.selection), source version "
                    + "\(result.sourceVersionID ?? "-")) to \(place): \(result.mode.rawValue), \(changes); version "
                    + "\(result.version?.id ?? "unchanged"), checksum \(result.checksum)"
            )
        }
    }
}
