import ArgumentParser
import CoreMetrics
import Foundation
import Logging
import Sluice
import Synchronization

/// The process's logging and metrics backends, bootstrapped once by the CLI (libraries never bootstrap).
enum Observability {
    /// The registry metrics go to, once a command asked for a metrics file.
    private static let state = Mutex<(bootstrapped: Bool, registry: MetricsRegistry?)>((false, nil))

    /// Bootstraps swift-log with `options`' level and format and, when a metrics file is asked for, swift-metrics
    /// with a ``MetricsRegistry``; returns that registry. Only the first call in a process bootstraps.
    static func bootstrap(_ options: ObservabilityOptions) -> MetricsRegistry? {
        state.withLock { state in
            guard !state.bootstrapped else { return state.registry }
            state.bootstrapped = true
            let level = options.level
            switch options.logFormat {
            case .text:
                LoggingSystem.bootstrap { label in
                    var handler = StreamLogHandler.standardError(label: label)
                    handler.logLevel = level
                    return handler
                }
            case .json:
                LoggingSystem.bootstrap { label in JSONLogHandler(label: label, logLevel: level) }
            }
            if options.metricsFile != nil {
                let registry = MetricsRegistry()
                MetricsSystem.bootstrap(registry)
                state.registry = registry
            }
            return state.registry
        }
    }
}

extension ObservabilityOptions {
    /// Bootstraps logging and metrics, runs `body` with a logger labelled `sluice`, then writes the metrics file —
    /// whether `body` returned or threw — and returns or rethrows.
    func run<Result>(_ body: (Logger) async throws -> Result) async throws -> Result {
        let registry = Observability.bootstrap(self)
        let outcome: Swift.Result<Result, any Error>
        do {
            outcome = .success(try await body(Logger(label: "sluice")))
        } catch {
            outcome = .failure(error)
        }
        if let registry, let metricsFile {
            do {
                try writeMetrics(registry.snapshot(), to: metricsFile)
            } catch {
                Terminal.report(error)
                throw ExitCode.failure
            }
        }
        return try outcome.get()
    }

    /// Writes `samples` in the chosen format to `path` (replaced whole), or to standard output for `-`.
    func writeMetrics(_ samples: [MetricSample], to path: String) throws {
        let text =
            switch resolvedMetricsFormat {
            case .prometheus: PrometheusText.render(samples)
            case .json: MetricsJSON.render(samples)
            }
        if path == "-" {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw SluiceError(.io, "\(path): cannot write the metrics file (\(error.localizedDescription))")
        }
    }
}
