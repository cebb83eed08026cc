import ArgumentParser
import Foundation
import NIOCore
import RESP
import SluiceTesting

/// `pipeline`: COUNT `SET bench:N <120 bytes> EX 300` through `RESPConnection.pipeline` and through
/// `redis-cli --pipe` fed the same bytes from a file, on one throw-away redis-server, the database flushed between
/// runs. Serialisation is timed for ours (the commands are encoded as they are sent), not for redis-cli.
struct PipelineBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Bulk SET … EX through RESPConnection.pipeline against redis-cli --pipe."
    )

    @Argument(help: "Commands per run.")
    var count = 1_000_000

    @OptionGroup var options: BenchmarkOptions

    func validate() throws {
        guard count >= 1 else { throw ValidationError("COUNT must be at least 1") }
    }

    func run() async throws {
        try await Self.compare(count: count, runs: options.runs)
    }

    /// Runs the comparison. Nonisolated on purpose: the lazy command sequence must not be made on the main actor.
    static func compare(count: Int, runs: Int) async throws {
        let value = ByteBuffer(repeating: UInt8(ascii: "v"), count: 120)
        let commands = (0..<count).lazy.map { SetCommand(prefix: "bench:", number: $0, value: value, seconds: 300) }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        var encoder = RESPEncoder(buffer: ByteBuffer())
        for command in commands { command.encode(into: &encoder) }
        try Data(encoder.buffer.readableBytesView).write(to: file)
        try await withRedisServer { server in
            emit("pipeline: \(count) SET bench:N <120 bytes> EX 300, window 16384; \(MachineState.describe())")
            var cliTimes: [Double] = []
            var ourTimes: [Double] = []
            for run in 1...runs {
                cliTimes.append(try timeRedisCLI(file, count: count, on: server))
                ourTimes.append(try await timePipeline(commands, count: count, on: server))
                emit(
                    "run \(run): redis_cli_pipe_seconds=\(cliTimes[run - 1]) resp_pipeline_seconds=\(ourTimes[run - 1])"
                        + " \(MachineState.describe())"
                )
            }
            let cli = cliTimes.min()!
            let ours = ourTimes.min()!
            emit("commands=\(count) redis_cli_pipe_seconds=\(cli) resp_pipeline_seconds=\(ours) ratio=\(ours / cli)")
            let (cliMedian, ourMedian) = (Measurements.median(cliTimes), Measurements.median(ourTimes))
            emit(
                "median: redis_cli_pipe_seconds=\(cliMedian) resp_pipeline_seconds=\(ourMedian)"
                    + " ratio=\(ourMedian / cliMedian)"
            )
        }
    }

    private static func timeRedisCLI(_ file: URL, count: Int, on server: RedisServer) throws -> Double {
        try server.cli("FLUSHALL")
        let time = try ContinuousClock().measure { try server.pipe(file) }
        guard Int(try server.cli("DBSIZE")) == count else { throw BenchmarkFailure("redis-cli loaded too few keys") }
        return Measurements.seconds(time)
    }

    private static func timePipeline(
        _ commands: some Sequence<SetCommand>,
        count: Int,
        on server: RedisServer
    ) async throws -> Double {
        try server.cli("FLUSHALL")
        let (seconds, outcome) = try await timedPipeline(commands, url: server.url())
        guard outcome.succeeded == count, Int(try server.cli("DBSIZE")) == count else {
            throw BenchmarkFailure("the pipeline loaded too few keys")
        }
        return seconds
    }
}
