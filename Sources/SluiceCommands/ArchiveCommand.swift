import ArgumentParser
import Foundation
import Sluice
import SluiceArchive
import SluiceFiles

/// `sluice archive --target URL --table T (--older-than 365d | --before DATE) --to file:DIR`: move old rows to
/// files, verified, then delete them from the source; and the table's stored policy (`--set-policy`,
/// `--remove-policy`, `--list-policies`, `--apply-policies`).
struct ArchiveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "archive",
        abstract: "Move rows older than a cutoff to files, verify them, then delete them from the source.",
        discussion: """
            Steps: write the rows to the archive table, read them back and check count and checksum, then delete \
            exactly those rows in one step. A run killed anywhere is finished by the next run. \
            --set-policy stores the options with the target; --apply-policies runs every stored policy (for cron).
            """
    )

    @OptionGroup var target: TargetOptions

    @Option(help: "The table (not needed with --apply-policies or --list-policies).")
    var table: String?

    @Option(name: .customLong("older-than"), help: "Archive rows older than this (365d, 52w, 2y).")
    var olderThan: String?

    @Option(help: "Archive rows before this day (YYYY-MM-DD).")
    var before: String?

    @Option(name: .customLong("date-column"), help: "The date or timestamp column (default: the only one).")
    var column: String?

    @Option(help: "The archive, a file target: file:DIR.")
    var to: String?

    @Option(name: .customLong("as"), help: "The archive table (default: the same name).")
    var archiveTable: String?

    @OptionGroup var files: FileFormatOptions

    @Flag(name: .customLong("set-policy"), help: "Store these options as the table's policy instead of running.")
    var setPolicy = false

    @Flag(name: .customLong("remove-policy"), help: "Remove the table's stored policy.")
    var removePolicy = false

    @Flag(name: .customLong("list-policies"), help: "List the stored policies.")
    var listPolicies = false

    @Flag(name: .customLong("apply-policies"), help: "Run every stored policy.")
    var applyPolicies = false

    @OptionGroup var output: OutputOptions
    @OptionGroup var observability: ObservabilityOptions

    func validate() throws {
        let modes = [setPolicy, removePolicy, listPolicies, applyPolicies].filter { $0 }.count
        guard modes <= 1 else {
            throw ValidationError("give one of --set-policy, --remove-policy, --list-policies, --apply-policies")
        }
        if listPolicies || applyPolicies { return }
        guard table != nil else { throw ValidationError("--table is required") }
        if removePolicy { return }
        guard (olderThan == nil) != (before == nil) else {
            throw ValidationError("give --older-than DURATION or --before DATE (one of them)")
        }
        guard to != nil else { throw ValidationError("--to file:DIR is required") }
        if let olderThan { _ = try DayOption.days(olderThan, option: "--older-than") }
        _ = try DayOption.parse(before, option: "--before")
    }

    func run() async throws {
        try await observability.run { _ in try await runObserved() }
    }

    private func runObserved() async throws {
        do {
            try await withLoader(target.resolved, factories: Targets.factories) { source in
                if listPolicies || applyPolicies || setPolicy || removePolicy {
                    guard let settings = source as? any TableSettings else {
                        throw SluiceError(.unsupportedTarget, "\(source.target) does not store archive policies")
                    }
                    if listPolicies { return try await list(settings) }
                    if applyPolicies { return try await apply(settings) }
                    return try await store(settings)
                }
                try await archive(from: source)
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Terminal.report(error)
            throw ExitCode.failure
        }
    }

    /// The policy these options describe.
    var policy: ArchivePolicy {
        get throws {
            ArchivePolicy(
                olderThanDays: try olderThan.map { try DayOption.days($0, option: "--older-than") },
                before: try DayOption.parse(before, option: "--before"),
                column: column,
                archive: try files.applied(to: to ?? ""),
                archiveTable: archiveTable
            )
        }
    }

    private func archive(from source: any Loader) async throws {
        let result = try await ArchiveOperation(table: table ?? "", policy: try policy).run(from: source)
        Terminal.print(output.json ? try JSONText.encode(result) : ArchiveReport.text(result))
    }

    private func store(_ source: any TableSettings) async throws {
        let table = table ?? ""
        if removePolicy {
            try await source.setSetting(table: table, name: ArchivePolicy.settingName, value: nil)
            Terminal.print("removed the archive policy of '\(table)'")
            return
        }
        let policy = try policy
        guard let schema = try await source.schema(of: table) else {
            throw SluiceError(.notFound, "table '\(table)' does not exist in \(source.target)")
        }
        _ = try policy.selection(today: DayOption.today, schema: schema, table: table)
        try await source.setSetting(table: table, name: ArchivePolicy.settingName, value: try policy.encoded())
        Terminal.print("stored the archive policy of '\(table)': \(ArchiveReport.text(policy))")
    }

    private func list(_ source: any TableSettings) async throws {
        var policies: [(String, ArchivePolicy)] = []
        for table in try await source.tablesWithSettings() {
            if let policy = try await ArchivePolicy.stored(in: source, table: table) {
                policies.append((table, policy))
            }
        }
        if output.json {
            Terminal.print(try JSONText.encode(Dictionary(uniqueKeysWithValues: policies)))
        } else if policies.isEmpty {
            Terminal.print("no archive policies in \(source.target)")
        } else {
            for (table, policy) in policies { Terminal.print("\(table): \(ArchiveReport.text(policy))") }
        }
    }

    private func apply(_ source: any TableSettings) async throws {
        let runs = try await Archiver.applyPolicies(in: source, today: DayOption.today)
        if output.json {
            Terminal.print(try JSONText.encode(runs))
        } else if runs.isEmpty {
            Terminal.print("no archive policies in \(source.target)")
        }
        for run in runs where !output.json {
            if let result = run.result {
                Terminal.print("\(run.table): " + ArchiveReport.text(result))
            } else {
                Terminal.writeError("error: \(run.table): \(run.error ?? "failed")\n")
            }
        }
        if runs.contains(where: { $0.error != nil }) { throw ExitCode.failure }
    }

    /// `loader` as the file target an archive must be (``ArchiveOperation/fileTarget(_:)``).
    static func fileTarget(_ loader: any Loader) throws -> FileLoader { try ArchiveOperation.fileTarget(loader) }
}

/// Human text for archive results and policies.
enum ArchiveReport {
    static func text(_ result: ArchiveResult) -> String {
        guard !result.batches.isEmpty else {
            return "nothing to archive in '\(result.table)' (\(result.selection))"
        }
        let batches = result.batches.map { batch in
            "\(Formatting.count(batch.rows)) rows\(batch.resumed ? " (finishing an interrupted run)" : "") "
                + "to version \(batch.archiveVersionID), checksum \(batch.checksum), deleted by source version "
                + (batch.sourceVersionID ?? "-")
        }
        return "archived \(Formatting.count(result.rows)) rows of '\(result.table)' (\(result.selection)) to "
            + "\(result.archive) table '\(result.archiveTable)', verified: " + batches.joined(separator: "; ")
    }

    static func text(_ policy: ArchivePolicy) -> String {
        let cutoff = policy.before.map { "before \($0)" } ?? "older than \(policy.olderThanDays ?? 0) days"
        return "rows \(cutoff)\(policy.column.map { " by \($0)" } ?? "") to \(policy.archive)"
            + (policy.archiveTable.map { " table '\($0)'" } ?? "")
    }
}
