import Foundation
import Sluice

/// The plan as `sluice run --dry-run` prints it: the jobs in order, each with its redacted target, table,
/// settings, matched files, dependencies and target group.
extension PipelinePlan {
    /// Lines of text; target URLs are redacted.
    public var text: String {
        let count = steps.count
        var lines = [
            "plan: \(name.map { "\($0) (\(file))" } ?? file): \(count) job\(count == 1 ? "" : "s"), "
                + (parallel == 1 ? "one at a time" : "up to \(parallel) at once")
                + (failFast ? ", fail-fast" : "")
        ]
        for step in steps {
            lines.append("")
            lines.append("\(step.position). \(step.job.name) (\(step.job.kind.rawValue), target group \(step.group))")
            for (label, value) in step.details {
                lines.append("   " + label.padding(toLength: 10, withPad: " ", startingAt: 0) + value)
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension PipelinePlan.Step {
    /// How many matched files the text names (`--dry-run --json` lists them all).
    static let filesShown = 10

    /// Labelled lines describing the step.
    public var details: [(String, String)] {
        var lines: [(String, String)] = [("target", job.target.description), ("table", job.table)]
        switch job.action {
        case .load(let load):
            var settings = ["strategy " + (load.strategy?.rawValue ?? (load.key.isEmpty ? "append" : "upsert"))]
            if !load.key.isEmpty { settings.append("key " + load.key.joined(separator: ",")) }
            if let cursor = load.cursor { settings.append("cursor \(cursor)") }
            if load.deleteMissing { settings.append("delete missing") }
            if load.force { settings.append("force") }
            if !load.validators.isEmpty {
                settings.append("validate " + load.validators.map(\.description).joined(separator: ","))
            }
            lines.append(("load", settings.joined(separator: ", ")))
            let shown = load.files.prefix(Self.filesShown).joined(separator: ", ")
            let more = load.files.count > Self.filesShown ? ", … (\(load.files.count - Self.filesShown) more)" : ""
            lines.append(("files", "\(load.files.count): " + shown + more))
        case .export(let export):
            var settings = ["to " + export.destination.description]
            if let table = export.destinationTable { settings.append("as \(table)") }
            if export.sinceLast { settings.append("since the last export") }
            if let window = export.window {
                settings.append("days \(window.from?.description ?? "…") to \(window.to?.description ?? "…")")
            }
            lines.append(("export", settings.joined(separator: ", ")))
        case .archive(let archive):
            let cutoff =
                archive.before.map { "rows before \($0)" } ?? "rows older than \(archive.olderThanDays ?? 0) days"
            lines.append(
                (
                    "archive",
                    cutoff + " to " + archive.archive.description + (archive.archiveTable.map { " as \($0)" } ?? "")
                )
            )
        case .retain(let retain):
            var keep: [String] = []
            if let versions = retain.keepVersions { keep.append("\(versions) versions") }
            if let days = retain.keepDays { keep.append("\(days) days") }
            lines.append(
                ("keep", keep.joined(separator: " and ") + (retain.archiveTo.map { ", archive to \($0)" } ?? ""))
            )
        case .verify:
            break
        }
        lines.append(("after", dependencies.isEmpty ? "-" : dependencies.joined(separator: ", ")))
        if !waitsFor.isEmpty {
            lines.append(("queued", "behind " + waitsFor.joined(separator: ", ") + " (same target)"))
        }
        return lines
    }
}
