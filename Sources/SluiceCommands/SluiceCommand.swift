import ArgumentParser

/// The `sluice` command: load, inspect, version, verify, optimise and sample market data.
public struct SluiceCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Load market data into SQLite, PostgreSQL, files and Redis, with verifiable versions.",
        discussion: """
            With no target, sluice loads into ./sluice.sqlite, so the first run needs no server:

              sluice sample ohlcv --rows 100000 --output prices.csv
              sluice load prices.csv --table prices --key symbol,date --strategy upsert
              sluice verify --table prices
            """,
        version: SluiceVersion.current,
        subcommands: [
            LoadCommand.self, InspectCommand.self, VersionsCommand.self, VerifyCommand.self, OptimizeCommand.self,
            StatsCommand.self, RetainCommand.self, SampleCommand.self, CacheCommand.self, ExportCommand.self,
            ArchiveCommand.self, RestoreCommand.self, DiffCommand.self, RollbackCommand.self, RunCommand.self,
        ]
    )

    public init() {}

    /// Parses the process arguments and runs the chosen subcommand: what the `sluice` executable calls.
    public static func runFromCommandLine(_ arguments: [String]? = nil) async {
        do {
            var command = try parseAsRoot(arguments)
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

/// The version of the Sluice package.
public enum SluiceVersion {
    /// The version `sluice --version` prints.
    public static let current = "0.1.0"
}
