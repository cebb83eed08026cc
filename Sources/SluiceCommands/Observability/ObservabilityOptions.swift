import ArgumentParser
import Logging

/// `--metrics-file`, `--metrics-format`, `--log-level`, `--log-format`: where a command's metrics and logs go.
struct ObservabilityOptions: ParsableArguments {
    @Option(
        name: .customLong("metrics-file"),
        help: "Write the run's metrics to this file when the command ends, success or not (- for standard output)."
    )
    var metricsFile: String?

    @Option(
        name: .customLong("metrics-format"),
        help: "prometheus (the text exposition format) or json (default: json for a .json file, else prometheus)."
    )
    var metricsFormat: MetricsFormat?

    @Option(
        name: .customLong("log-level"),
        help:
            "Log lines on standard error from this level up: trace, debug, info (default), notice, warning, error, critical."
    )
    var logLevel: String?

    @Option(name: .customLong("log-format"), help: "text (default) or json: one JSON object per line.")
    var logFormat: LogFormat = .text

    func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--log-level must be one of \(levels)")
        }
        if metricsFormat != nil, metricsFile == nil {
            throw ValidationError("--metrics-format needs --metrics-file PATH (- for standard output)")
        }
    }

    /// The level given, else info.
    var level: Logger.Level { logLevel.flatMap(Logger.Level.init(rawValue:)) ?? .info }

    /// The format given, else json for a `.json` file, else prometheus.
    var resolvedMetricsFormat: MetricsFormat {
        metricsFormat ?? (metricsFile?.lowercased().hasSuffix(".json") == true ? .json : .prometheus)
    }
}

/// `--metrics-format`.
enum MetricsFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case prometheus, json
}

/// `--log-format`.
enum LogFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}
