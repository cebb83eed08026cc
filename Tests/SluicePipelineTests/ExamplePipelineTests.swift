import Foundation
import SluicePipeline
import Testing

/// `Examples/pipeline.yml`, the example the docs show, stays valid.
@Suite("The example pipeline")
struct ExamplePipelineTests {
    @Test func theExampleIsValidAndPlansAsDocumented() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Examples/pipeline.yml"), encoding: .utf8)
        try withFixture(files: ["data/prices-2025-01.csv.gz", "data/fundamentals/2025/q1.jsonl"]) { fixture in
            let pipeline = try fixture.parse(text, environment: ["PGPASSWORD": "example"])
            #expect(pipeline.name == "nightly-market-data" && pipeline.parallel == 2)
            #expect(pipeline.jobs.map(\.kind) == [.load, .load, .load, .export, .archive, .retain, .verify])
            let plan = PipelinePlan(pipeline, directory: fixture.directory)
            #expect(plan.steps.map(\.group) == [1, 2, 3, 1, 1, 1, 1])
            #expect(plan.text.contains("postgres://etl:***@localhost:5432/market"))
        }
    }
}
