import ArgumentParser
import Foundation

/// `--target URL` (alias `--into`): where the data lives.
struct TargetOptions: ParsableArguments {
    @Option(
        name: [.customLong("target"), .customLong("into")],
        help: """
            Target URL: sqlite:PATH, postgres://USER@HOST:PORT/DB or file:DIR (default $SLUICE_TARGET, else \
            $SLUICE_DATABASE_URL, else sqlite:sluice.sqlite).
            """
    )
    var url: String?

    /// The URL to open.
    var resolved: String { url ?? Targets.environmentDefault }
}

/// `--json`: one JSON object on standard output instead of tables.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON object instead of a table.")
    var json = false
}

enum ProcessEnvironment {
    static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }
}
