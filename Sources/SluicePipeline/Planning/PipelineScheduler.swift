import Foundation

/// Runs a ``PipelinePlan``: starts each job when the jobs it depends on succeeded and the earlier jobs sharing
/// its targets ended, at most ``PipelinePlan/parallel`` at once, earliest first.
///
/// A job whose dependency failed or was skipped is skipped; independent jobs still run, unless the plan is
/// fail-fast, in which case no job starts after the first failure (running ones finish). Structured: every
/// job runs in a child task of one task group.
public enum PipelineScheduler {
    /// What the scheduler knows of one job while it runs.
    private struct Completion: Sendable {
        var name: String
        var result: Result<JobResult, any Error>
        var started: Date
        var finished: Date
    }

    /// Runs every step of `plan` with `body`; returns one outcome per step, in plan order. An error thrown by
    /// `body` fails that job; ``describe`` turns it into the outcome's message.
    public static func run(
        _ plan: PipelinePlan,
        describe: @escaping @Sendable (any Error) -> String = { "\($0)" },
        _ body: @escaping @Sendable (PipelineJob) async throws -> JobResult
    ) async -> [JobOutcome] {
        var outcomes: [String: JobOutcome] = [:]
        var pending = plan.steps
        var running: [String: PipelineJob.Kind] = [:]
        var beside: [String: Set<String>] = [:]
        var stopReason: String?
        await withTaskGroup(of: Completion.self) { group in
            while true {
                var index = 0
                while index < pending.count {
                    let step = pending[index]
                    if let reason = skipReason(step, outcomes: outcomes, stopReason: stopReason) {
                        outcomes[step.job.name] = JobOutcome(
                            name: step.job.name,
                            kind: step.job.kind,
                            status: .skipped,
                            message: reason
                        )
                        pending.remove(at: index)
                        index = 0  // a skip can make later jobs skippable or ready
                        continue
                    }
                    let ready =
                        running.count < plan.parallel
                        && step.dependencies.allSatisfy { outcomes[$0]?.status == .ok }
                        && step.waitsFor.allSatisfy { outcomes[$0] != nil }
                    guard ready else {
                        index += 1
                        continue
                    }
                    for other in running.keys {
                        beside[other, default: []].insert(step.job.name)
                        beside[step.job.name, default: []].insert(other)
                    }
                    running[step.job.name] = step.job.kind
                    pending.remove(at: index)
                    let job = step.job
                    group.addTask {
                        let started = Date()
                        let result: Result<JobResult, any Error>
                        do { result = .success(try await body(job)) } catch { result = .failure(error) }
                        return Completion(name: job.name, result: result, started: started, finished: Date())
                    }
                }
                guard !running.isEmpty, let done = await group.next() else { break }
                let kind = running.removeValue(forKey: done.name) ?? .load
                var outcome = JobOutcome(name: done.name, kind: kind, status: .ok)
                outcome.started = done.started
                outcome.finished = done.finished
                switch done.result {
                case .success(let result): outcome.result = result
                case .failure(let error):
                    outcome.status = .failed
                    outcome.message = describe(error)
                    if plan.failFast, stopReason == nil {
                        stopReason = "not started: '\(done.name)' failed (fail-fast)"
                    }
                }
                outcomes[done.name] = outcome
            }
        }
        return plan.steps.map { step in
            var outcome =
                outcomes[step.job.name]
                ?? JobOutcome(name: step.job.name, kind: step.job.kind, status: .skipped, message: "not started")
            outcome.ranBeside = (beside[step.job.name] ?? []).sorted()
            return outcome
        }
    }

    /// Why `step` will not run, if it will not: a dependency that failed or was skipped, or fail-fast.
    private static func skipReason(
        _ step: PipelinePlan.Step,
        outcomes: [String: JobOutcome],
        stopReason: String?
    ) -> String? {
        for dependency in step.dependencies {
            switch outcomes[dependency]?.status {
            case .failed: return "skipped: '\(dependency)' failed"
            case .skipped: return "skipped: '\(dependency)' did not run"
            default: continue
            }
        }
        return stopReason
    }
}
