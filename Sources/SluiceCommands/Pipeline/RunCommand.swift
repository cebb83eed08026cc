import ArgumentParser
import Foundation
import Logging
import SluicePipeline

/// `sluice run pipeline.yml [--dry-run] [--parallel N] [--fail-fast] [--json]`: run the jobs of a pipeline file.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline file: loads, exports, archives, retention and checks, in order or side by side.",
        discussion: """
            The file is checked whole before anything runs; every problem is printed as FILE:LINE:COLUMN: message. \
            Relative paths in it (files, sqlite: and file: targets, schema and reject files) start at the file's \
            folder. ${NAME} and ${NAME:-default} come from the environment; target URLs are printed redacted. \
            Exit status: 0 when every job succeeded, 1 when a job failed or was skipped, 2 when the file is \
            invalid or unreadable, 75 when another run of the same file still holds its lock, 64 for a usage \
            error. See docs/Pipelines.md.
            """
    )

    /// The exit status of an invalid or unreadable pipeline file.
    static let invalidFileStatus: Int32 = 2

    @Argument(help: "The pipeline file (YAML).")
    var file: String

    @Flag(name: .customLong("dry-run"), help: "Check the file and print the plan; run nothing, open no target.")
    var dryRun = false

    @Option(
        help: ArgumentHelp(
            "Run up to N jobs at once, never two on one target (default: the file's 'parallel', else 1).",
            valueName: "n"
        )
    )
    var parallel: Int?

    @Flag(name: .customLong("fail-fast"), help: "Start no new job once one failed (the others are skipped).")
    var failFast = false

    @Option(
        name: .customLong("only"),
        help: ArgumentHelp(
            "Run only these jobs, comma-separated (repeatable); their dependencies outside the list are taken as done.",
            valueName: "jobs"
        )
    )
    var only: [String] = []

    @OptionGroup var output: OutputOptions
    @OptionGroup var observability: ObservabilityOptions

    func validate() throws {
        if let parallel, parallel < 1 || parallel > 64 { throw ValidationError("--parallel must be 1 to 64") }
    }

    func run() async throws {
        var observability = observability
        if let metricsFile = observability.metricsFile, metricsFile != "-" {
            observability.metricsFile = URL(fileURLWithPath: metricsFile).path
        }
        let path = URL(fileURLWithPath: file).path
        let pipeline = try checkedPipeline()
        let plan = PipelinePlan(pipeline, directory: ".", parallel: parallel, failFast: failFast ? true : nil)
        if dryRun {
            Terminal.print(output.json ? RunReport.json(plan) : plan.text)
            return
        }
        do {
            try await PipelineLock.withLock(on: path) { try await execute(plan, observability: observability) }
        } catch let busy as PipelineLock.Busy {
            Terminal.writeError("error: \(busy)\n")
            throw ExitCode(PipelineLock.busyStatus)
        }
    }

    /// The pipeline, read, checked and narrowed to `--only`, with the working directory moved to its folder; or
    /// every problem printed and exit status 2.
    private func checkedPipeline() throws -> Pipeline {
        do {
            var pipeline = try PipelineParser.load(
                path: file,
                environment: ProcessInfo.processInfo.environment,
                defaultTarget: Targets.environmentDefault
            )
            let directory = URL(fileURLWithPath: file).deletingLastPathComponent().path
            let problems = PipelinePreflight.problems(pipeline, directory: directory)
            if !problems.isEmpty { throw PipelineError(diagnostics: problems) }
            let selection = only.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
            if !selection.isEmpty { pipeline = try pipeline.selecting(selection.filter { !$0.isEmpty }) }
            guard FileManager.default.changeCurrentDirectoryPath(directory) else {
                throw PipelineError(message: "cannot change to the pipeline's folder \(directory)")
            }
            return pipeline
        } catch let error as PipelineError {
            if output.json { Terminal.print(RunReport.json(error)) }
            Terminal.writeError(error.diagnostics.isEmpty ? "error: \(error.message)\n" : error.description + "\n")
            throw ExitCode(Self.invalidFileStatus)
        }
    }

    /// Runs the plan's jobs, prints the summary, and exits 1 when a job failed or was skipped.
    private func execute(_ plan: PipelinePlan, observability: ObservabilityOptions) async throws {
        let started = Date()
        let outcomes = try await observability.run { logger in
            let runner = PipelineRunner(logger: logger)
            return await PipelineScheduler.run(plan, describe: ErrorText.oneLine) { job in try await runner.run(job) }
        }
        let seconds = Date().timeIntervalSince(started)
        Terminal.print(
            output.json
                ? RunReport.json(outcomes, plan: plan, seconds: seconds)
                : RunReport.text(outcomes, plan: plan, seconds: seconds)
        )
        for outcome in outcomes where outcome.status == .failed {
            Terminal.writeError("error: job '\(outcome.name)': \(outcome.message ?? "failed")\n")
        }
        if outcomes.contains(where: { $0.status != .ok }) { throw ExitCode.failure }
    }
}
