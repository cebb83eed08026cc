import Foundation
import SluicePipeline

/// A pipeline file in a fresh folder with some input files, parsed as `pipeline.yml`.
struct PipelineFixture {
    let directory: String

    /// A folder holding `files` (each with one line of CSV), removed by ``remove()``.
    init(files: [String] = []) throws {
        directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("sluice-pipeline-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for file in files {
            let path = directory + "/" + file
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true
            )
            try Data("symbol,date,close\nA,2025-01-02,1.5\n".utf8).write(to: URL(fileURLWithPath: path))
        }
    }

    func remove() { try? FileManager.default.removeItem(atPath: directory) }

    func parse(_ yaml: String, environment: [String: String] = [:]) throws -> Pipeline {
        try PipelineParser.parse(yaml, file: "pipeline.yml", directory: directory, environment: environment)
    }

    /// The problems of an invalid `yaml`, one line each (`pipeline.yml:LINE:COLUMN: message`).
    func problems(_ yaml: String, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try parse(yaml, environment: environment)
            return []
        } catch let error as PipelineError {
            return error.diagnostics.map(\.description)
        } catch {
            return ["unexpected: \(error)"]
        }
    }
}

/// Parses `yaml` in a folder holding `files`.
func withFixture<Result>(files: [String] = [], _ body: (PipelineFixture) throws -> Result) throws -> Result {
    let fixture = try PipelineFixture(files: files)
    defer { fixture.remove() }
    return try body(fixture)
}
