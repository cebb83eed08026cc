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
            let report = try await RetainOperation(url: target.resolved, table: table, policy: policy).run()
            if output.json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                Terminal.print(String(decoding: try encoder.encode(report), as: UTF8.self))
                return
            }
            Terminal.print(RetainOperation.text(report, archived: archiveTo != nil))
        } catch {
            Terminal.report(error)
            throw ExitCode.failure
        }
    }
}
