import ArgumentParser
import Foundation
import Sluice
import SluiceFiles

/// `sluice retain --target file:DIR --table T --keep-versions N --keep-days D [--archive-to DIR]`: remove old
/// versions of a file target's table and the files only they listed.
struct RetainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retain",
        abstract: "Remove a file target table's old versions and the files only they list (or archive them).",
        discussion: """
            A version is removed when it is outside both limits given: older than the newest --keep-versions \
            versions and older than --keep-days days. The latest version is always kept. Safe to rerun after a \
            crash: manifests go first, and with --archive-to every file is archived (synced) before it is deleted.
            """
    )

    @OptionGroup var target: TargetOptions

    @Option(help: "The table.")
    var table: String

    @Option(name: .customLong("keep-versions"), help: "Keep at least the newest N versions.")
    var keepVersions: Int?

    @Option(name: .customLong("keep-days"), help: "Keep every version younger than D days.")
    var keepDays: Int?

    @Option(
        name: .customLong("archive-to"),
        help: "Move superseded files to this folder (compressed with zstd if they are not) instead of deleting."
    )
    var archiveTo: String?

    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard keepVersions != nil || keepDays != nil else {
            throw ValidationError("give --keep-versions N, --keep-days D or both")
        }
        if let keepVersions, keepVersions < 1 { throw ValidationError("--keep-versions must be 1 or more") }
        if let keepDays, keepDays < 0 { throw ValidationError("--keep-days must be 0 or more") }
    }

    func run() async throws {
        do {
            let policy = RetentionPolicy(keepVersions: keepVersions, keepDays: keepDays, archiveDirectory: archiveTo)
            let report = try await withLoader(target.resolved, factories: Targets.factories) { loader in
                guard let files = loader as? FileLoader else {
                    throw SluiceError(
                        .invalidRequest,
                        "\(loader.target): retain applies to file targets (file:DIR); databases keep one state"
                    )
                }
                return try await files.retain(table: table, policy: policy)
            }
            if output.json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                Terminal.print(String(decoding: try encoder.encode(report), as: UTF8.self))
                return
            }
            let versions = report.removedVersions.count
            var line =
                "table '\(report.table)': removed \(versions) version\(versions == 1 ? "" : "s") and "
                + "\(report.removedFiles) file\(report.removedFiles == 1 ? "" : "s") "
                + "(\(Formatting.bytes(report.removedBytes))); \(report.keptVersions) kept"
            if archiveTo != nil { line += "; \(report.archivedFiles) archived" }
            Terminal.print(line)
        } catch {
            Terminal.report(error)
            throw ExitCode.failure
        }
    }
}
