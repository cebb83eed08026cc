import Foundation
import Sluice
import SluicePipeline

/// What `sluice run` prints: the plan (`--dry-run`), the problems of an invalid file, and the summary of a run
/// — as text, or one JSON object with `--json`. Target URLs are always redacted.
enum RunReport {
    /// The summary table of a run and a closing line of counts.
    static func text(_ outcomes: [JobOutcome], plan: PipelinePlan, seconds: Double) -> String {
        var table = TextTable(header: ["job", "kind", "status", "rows", "version", "duration", "detail"])
        for outcome in outcomes {
            table.add([
                outcome.name, outcome.kind.rawValue, outcome.status.rawValue,
                outcome.result?.rows.map(Formatting.count) ?? "-",
                outcome.result?.versionID ?? "-",
                outcome.status == .skipped ? "-" : Formatting.duration(outcome.duration),
                outcome.message ?? outcome.result?.summary ?? "",
            ])
        }
        return table.render() + "\n" + countsLine(outcomes, seconds: seconds)
    }

    /// `3 ok, 1 failed, 1 skipped in 2.3s`.
    static func countsLine(_ outcomes: [JobOutcome], seconds: Double) -> String {
        let counts = JobOutcome.Status.allCases.map { status in
            "\(outcomes.filter { $0.status == status }.count) \(status.rawValue)"
        }
        return counts.joined(separator: ", ") + " in " + Formatting.duration(seconds)
    }

    /// The run as one JSON object.
    static func json(_ outcomes: [JobOutcome], plan: PipelinePlan, seconds: Double) -> String {
        var object = header(plan)
        object["success"] = .bool(outcomes.allSatisfy { $0.status == .ok })
        for status in JobOutcome.Status.allCases {
            object[status.rawValue] = .int(outcomes.filter { $0.status == status }.count)
        }
        object["duration_seconds"] = .double(seconds)
        let steps = Dictionary(uniqueKeysWithValues: plan.steps.map { ($0.job.name, $0) })
        object["jobs"] = .array(
            outcomes.map { outcome in
                var job = JSONObject()
                job["name"] = .string(outcome.name)
                job["kind"] = .string(outcome.kind.rawValue)
                job["status"] = .string(outcome.status.rawValue)
                job["target"] = .string(steps[outcome.name]?.job.target.redacted)
                job["table"] = .string(steps[outcome.name]?.job.table)
                job["rows"] = outcome.result?.rows.map { .int($0) } ?? JSONValue(text: "null")
                job["version_id"] = .string(outcome.result?.versionID)
                job["duration_seconds"] = .double(outcome.duration)
                job["started_at"] = .string(outcome.started.map(timestamp))
                job["finished_at"] = .string(outcome.finished.map(timestamp))
                job["ran_beside"] = .array(outcome.ranBeside.map { .string($0) })
                job["summary"] = .string(outcome.result?.summary)
                job["error"] = .string(outcome.status == .failed ? outcome.message : nil)
                job["reason"] = .string(outcome.status == .skipped ? outcome.message : nil)
                return .object(job)
            }
        )
        return object.text
    }

    /// The plan as one JSON object.
    static func json(_ plan: PipelinePlan) -> String {
        var object = header(plan)
        object["jobs"] = .array(
            plan.steps.map { step in
                var job = JSONObject()
                job["position"] = .int(step.position)
                job["name"] = .string(step.job.name)
                job["kind"] = .string(step.job.kind.rawValue)
                job["target"] = .string(step.job.target.redacted)
                job["targets"] = .array(step.job.targets.map { .string($0.redacted) })
                job["table"] = .string(step.job.table)
                job["group"] = .int(step.group)
                job["depends_on"] = .array(step.dependencies.map { .string($0) })
                job["waits_for"] = .array(step.waitsFor.map { .string($0) })
                if case .load(let load) = step.job.action {
                    job["strategy"] = .string(load.strategy?.rawValue ?? (load.key.isEmpty ? "append" : "upsert"))
                    job["files"] = .array(load.files.map { .string($0) })
                }
                return .object(job)
            }
        )
        return object.text
    }

    /// The problems of an invalid file as one JSON object.
    static func json(_ error: PipelineError) -> String {
        var object = JSONObject()
        object["valid"] = .bool(false)
        object["errors"] = .array(
            error.diagnostics.map { diagnostic in
                var item = JSONObject()
                item["file"] = .string(diagnostic.location.file)
                item["line"] = .int(diagnostic.location.line)
                item["column"] = .int(diagnostic.location.column)
                item["message"] = .string(diagnostic.message)
                return .object(item)
            }
        )
        if error.diagnostics.isEmpty { object["error"] = .string(error.message) }
        return object.text
    }

    private static func header(_ plan: PipelinePlan) -> JSONObject {
        var object = JSONObject()
        object["pipeline"] = .string(plan.name)
        object["file"] = .string(plan.file)
        object["parallel"] = .int(plan.parallel)
        object["fail_fast"] = .bool(plan.failFast)
        return object
    }

    private static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
