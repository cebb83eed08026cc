import ArgumentParser

/// The root command: one subcommand per comparison, `pipeline` when none is named (so `RESPBenchmarks 1000000`
/// still runs the original benchmark).
struct RESPBenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "RESPBenchmarks",
        abstract: "The RESP client against redis-cli --pipe, redis-benchmark and itself on a cluster.",
        discussion: """
            Every subcommand starts its own throw-away redis-server(s) on free loopback ports, measures our client \
            and its peer in the same run (alternating, --runs times), prints each run, the best and the median, \
            and the ratio ours/peer. The servers are stopped and their directories deleted when it ends, also on \
            error or a signal (SluiceTesting's reaper).
            """,
        subcommands: [PipelineBenchmark.self, LatencyBenchmark.self, ClusterBenchmark.self],
        defaultSubcommand: PipelineBenchmark.self
    )

    /// Parses the process arguments and runs the chosen subcommand.
    static func runFromCommandLine() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
