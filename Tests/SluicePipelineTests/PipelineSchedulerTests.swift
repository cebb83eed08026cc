import SluicePipeline
import Synchronization
import Testing

/// What the jobs of a test did, in order.
private final class EventLog: Sendable {
    private let events = Mutex<[String]>([])

    func record(_ event: String) { events.withLock { $0.append(event) } }
    var all: [String] { events.withLock { $0 } }

    /// Waits until `event` was recorded (a bounded wait: 10 s); false if it never was.
    func waitFor(_ event: String) async -> Bool {
        for _ in 0..<1000 {
            if all.contains(event) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return false
    }
}

private struct JobFailure: Error, CustomStringConvertible {
    var description: String { "the job failed on purpose" }
}

@Suite("Pipeline scheduler: order, concurrency, failures")
struct PipelineSchedulerTests {
    private func plan(_ yaml: String, parallel: Int? = nil, failFast: Bool? = nil) throws -> PipelinePlan {
        try withFixture(files: ["a.csv"]) { fixture in
            PipelinePlan(try fixture.parse(yaml), directory: fixture.directory, parallel: parallel, failFast: failFast)
        }
    }

    @Test func jobsOnDifferentTargetsOverlapAndJobsOnOneTargetDoNot() async throws {
        let plan = try plan(
            """
            parallel: 3
            jobs:
              - {name: x1, target: sqlite:x.sqlite, files: a.csv, table: a}
              - {name: y, target: sqlite:y.sqlite, files: a.csv, table: a}
              - {name: x2, target: sqlite:x.sqlite, files: a.csv, table: b}
            """
        )
        let log = EventLog()
        let outcomes = await PipelineScheduler.run(plan) { job in
            log.record("start \(job.name)")
            switch job.name {
            // x1 and y each wait for the other to have started: both finish only if they ran side by side.
            case "x1": guard await log.waitFor("start y") else { throw JobFailure() }
            case "y": guard await log.waitFor("start x1") else { throw JobFailure() }
            default: try await Task.sleep(for: .milliseconds(20))
            }
            try await Task.sleep(for: .milliseconds(20))
            log.record("end \(job.name)")
            return JobResult(summary: job.name)
        }
        #expect(outcomes.map(\.status) == [.ok, .ok, .ok])
        let events = log.all
        let endX1 = try #require(events.firstIndex(of: "end x1"))
        let startX2 = try #require(events.firstIndex(of: "start x2"))
        #expect(endX1 < startX2, "x2 started before x1 (same target) ended: \(events)")
        #expect(outcomes[0].ranBeside.contains("y") && !outcomes[0].ranBeside.contains("x2"))
        #expect(outcomes[1].ranBeside.contains("x1"))
        #expect(outcomes.allSatisfy { $0.started != nil && $0.finished != nil })
    }

    @Test func oneAtATimeRunsInPlanOrder() async throws {
        let plan = try plan(
            """
            jobs:
              - {name: a, target: sqlite:a.sqlite, files: a.csv, table: a}
              - {name: b, target: sqlite:b.sqlite, files: a.csv, table: a}
              - {name: c, target: sqlite:c.sqlite, files: a.csv, table: a}
            """
        )
        let log = EventLog()
        let outcomes = await PipelineScheduler.run(plan) { job in
            log.record("start \(job.name)")
            try await Task.sleep(for: .milliseconds(5))
            log.record("end \(job.name)")
            return JobResult(rows: 1, summary: "")
        }
        #expect(log.all == ["start a", "end a", "start b", "end b", "start c", "end c"])
        #expect(outcomes.allSatisfy { $0.ranBeside.isEmpty && $0.result?.rows == 1 })
    }

    @Test func aFailedJobSkipsItsDependentsAndOthersStillRun() async throws {
        let plan = try plan(
            """
            parallel: 2
            jobs:
              - {name: a, target: sqlite:a.sqlite, files: a.csv, table: a}
              - {name: b, target: sqlite:b.sqlite, files: a.csv, table: a, depends_on: a}
              - {name: c, target: sqlite:c.sqlite, files: a.csv, table: a, depends_on: b}
              - {name: d, target: sqlite:a.sqlite, files: a.csv, table: d}
            """
        )
        let log = EventLog()
        let outcomes = await PipelineScheduler.run(plan) { job in
            log.record("start \(job.name)")
            if job.name == "a" { throw JobFailure() }
            return JobResult(summary: "")
        }
        #expect(outcomes.map(\.status) == [.failed, .skipped, .skipped, .ok])
        #expect(outcomes[0].message == "the job failed on purpose")
        #expect(outcomes[1].message == "skipped: 'a' failed")
        #expect(outcomes[2].message == "skipped: 'b' did not run")
        #expect(log.all == ["start a", "start d"])
    }

    @Test func failFastStartsNothingAfterAFailure() async throws {
        let plan = try plan(
            """
            jobs:
              - {name: a, target: sqlite:a.sqlite, files: a.csv, table: a}
              - {name: b, target: sqlite:b.sqlite, files: a.csv, table: a}
            """,
            failFast: true
        )
        let outcomes = await PipelineScheduler.run(plan) { job in
            if job.name == "a" { throw JobFailure() }
            return JobResult(summary: "")
        }
        #expect(outcomes.map(\.status) == [.failed, .skipped])
        #expect(outcomes[1].message == "not started: 'a' failed (fail-fast)")
    }
}
