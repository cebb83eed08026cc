import SluicePipeline
import Testing

@Suite("Pipeline plans: order, shared targets and groups")
struct PipelinePlanTests {
    @Test func jobsKeepFileOrderButFollowTheirDependencies() throws {
        try withFixture(files: ["a.csv"]) { fixture in
            let pipeline = try fixture.parse(
                """
                jobs:
                  - {name: first, target: sqlite:one.sqlite, files: a.csv, table: a, depends_on: last}
                  - {name: second, target: sqlite:two.sqlite, files: a.csv, table: b}
                  - {name: third, target: "sqlite:./one.sqlite", files: a.csv, table: c}
                  - {name: last, target: file:lake, files: a.csv, table: d}
                  - {name: copy, kind: export, target: sqlite:two.sqlite, table: b, to: file:lake}
                """
            )
            let plan = PipelinePlan(pipeline, directory: fixture.directory)
            #expect(plan.steps.map(\.job.name) == ["second", "third", "last", "first", "copy"])
            #expect(plan.steps.map(\.position) == [1, 2, 3, 4, 5])
            let first = try #require(plan.steps.first { $0.job.name == "first" })
            #expect(first.dependencies == ["last"] && first.waitsFor == ["third"])
            let copy = try #require(plan.steps.last)
            #expect(copy.waitsFor == ["second", "last"])
            #expect(plan.steps.map(\.group) == [1, 2, 1, 2, 1])
            #expect(plan.parallel == 1 && !plan.failFast)
            let text = plan.text
            #expect(text.contains("4. first (load, target group 2)"))
            #expect(text.contains("queued    behind third (same target)"))
        }
    }

    @Test func theCommandLineOverridesTheFileSettings() throws {
        try withFixture(files: ["a.csv"]) { fixture in
            let pipeline = try fixture.parse("parallel: 3\njobs:\n  - {name: a, files: a.csv, table: a}\n")
            #expect(PipelinePlan(pipeline, directory: fixture.directory).parallel == 3)
            let plan = PipelinePlan(pipeline, directory: fixture.directory, parallel: 1, failFast: true)
            #expect(plan.parallel == 1 && plan.failFast)
        }
    }

    @Test func thePlanNamesTheFirstTenFilesOfALoad() throws {
        let names = (1...12).map { "data/day-\($0 < 10 ? "0" : "")\($0).csv" }
        try withFixture(files: names) { fixture in
            let pipeline = try fixture.parse("jobs:\n  - {name: a, files: data/day-*.csv, table: a}\n")
            let text = PipelinePlan(pipeline, directory: fixture.directory).text
            #expect(text.contains("files     12: data/day-01.csv, data/day-02.csv,"))
            #expect(text.contains("data/day-10.csv, … (2 more)") && !text.contains("day-11"))
        }
    }

    @Test func thePlanShowsTargetsRedacted() throws {
        try withFixture(files: ["a.csv"]) { fixture in
            let pipeline = try fixture.parse(
                "jobs:\n  - {name: a, target: \"postgres://u:${PW}@h:5432/d\", files: a.csv, table: a}\n",
                environment: ["PW": "plan-secret-value"]
            )
            let text = PipelinePlan(pipeline, directory: fixture.directory).text
            #expect(text.contains("postgres://u:***@h:5432/d") && !text.contains("plan-secret-value"))
        }
    }
}

@Suite("Pipeline selection (--only)")
struct PipelineSelectionTests {
    @Test func onlyTheNamedJobsRunAndOutsideDependenciesCountAsDone() throws {
        try withFixture(files: ["a.csv"]) { fixture in
            let pipeline = try fixture.parse(
                """
                jobs:
                  - {name: load, files: a.csv, table: a}
                  - {name: copy, kind: export, table: a, to: file:lake, depends_on: load}
                  - {name: check, kind: verify, table: a, depends_on: [load, copy]}
                """
            )
            let selected = try pipeline.selecting(["copy", "check"])
            #expect(selected.jobs.map(\.name) == ["copy", "check"])
            #expect(selected.jobs[0].dependsOn.isEmpty && selected.jobs[1].dependsOn.map(\.value) == ["copy"])
            #expect(throws: PipelineError.self) { try pipeline.selecting(["chek"]) }
            do {
                _ = try pipeline.selecting(["chek"])
            } catch {
                #expect("\(error)" == "pipeline.yml: --only: no job named 'chek' (did you mean 'check'?)")
            }
        }
    }
}
