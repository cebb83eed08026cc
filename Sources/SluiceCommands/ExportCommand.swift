import ArgumentParser
import Foundation
import Sluice
import SluiceArchive
import SluicePipeline

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
            result = try await operation().run()
        } catch {
            Terminal.report(error)
            throw ExitCode.failure
        }
        Terminal.print(output.json ? try JSONText.encode(result) : ExportOperation.text(result))
    }

    /// The export these options describe.
    func operation() throws -> ExportOperation {
        var window: DayWindow?
        if !self.window.isEmpty {
            window = DayWindow(
                from: try DayOption.parse(self.window.from, option: "--where-date-from"),
                to: try DayOption.parse(self.window.to, option: "--where-date-to"),
                column: self.window.column
            )
        }
        return ExportOperation(
            source: target.resolved,
            table: table,
            destination: try files.applied(to: to),
            destinationTable: destinationTable,
            window: window,
            sinceLast: sinceLast
        )
    }
}
