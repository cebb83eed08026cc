import ArgumentParser
import Foundation
import Sluice
import SluiceArchive
import SluiceFiles

/// `sluice restore --archive file:DIR --table T --into URL`: bring archived rows back, verified.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Load archived rows back into a table (upsert on its key), then verify the table holds them all."
    )

    @Option(help: "The archive, a file target: file:DIR.")
    var archive: String

    @Option(help: "The archive table.")
    var table: String

    @OptionGroup var target: TargetOptions

    @Option(name: .customLong("as"), help: "The table to restore into (default: the same name).")
    var targetTable: String?

    @OptionGroup var window: SelectionOptions

    @OptionGroup var output: OutputOptions

    @OptionGroup var observability: ObservabilityOptions

    func run() async throws {
        try await observability.run { _ in try await runObserved() }
    }

    private func runObserved() async throws {
        let result: RestoreResult
        do {
            result = try await withLoader(archive, factories: Targets.factories) { archive in
                let files = try ArchiveCommand.fileTarget(archive)
                guard let schema = try await files.schema(of: table) else {
                    throw SluiceError(.notFound, "table '\(table)' does not exist in \(files.target)")
                }
                let selection = try window.selection(schema: schema, table: table)
                return try await withLoader(target.resolved, factories: Targets.factories) { target in
                    try await Archiver.restore(
                        table,
                        from: files,
                        into: target,
                        table: targetTable,
                        selection: selection
                    )
                }
            }
        } catch {
            Terminal.report(error)
            throw ExitCode.failure
        }
        if output.json {
            Terminal.print(try JSONText.encode(result))
        } else {
            Terminal.print(
                "restored \(Formatting.count(result.rows)) rows from \(result.archive) table '\(result.archiveTable)' "
                    + "into \(result.target) table '\(result.table)': \(Formatting.count(result.inserted)) inserted, "
                    + "\(Formatting.count(result.updated)) updated; version \(result.version?.id ?? "unchanged"), "
                    + "verified"
            )
        }
    }
}
