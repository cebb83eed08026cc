import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension SluiceProcess {
    /// Starts `sluice ARGUMENTS` in `directory` without waiting for it: for fault tests that kill it (or its
    /// server) while it runs.
    ///
    /// ```swift
    /// let load = try SluiceProcess.start(["load", "prices.csv", "--into", url, "--table", "prices"], in: directory)
    /// try load.kill(after: .milliseconds(300))
    /// let outcome = load.wait()   // status 137 if the kill came first
    /// ```
    public static func start(
        _ arguments: [String],
        in directory: URL,
        environment: [String: String] = [:]
    ) throws -> RunningSluice {
        try RunningSluice(binary: try binary, arguments: arguments, directory: directory, environment: environment)
    }
}

/// A `sluice` process that runs while the test does other things (``SluiceProcess/start(_:in:environment:)``).
///
/// Standard output and error go to files in the temporary directory (no pipe can fill up and stall the child);
/// ``wait()`` reads them once the process has ended. Unchecked `Sendable`: `Process` may be asked and waited for
/// from any thread, and the files are read only after the process ended.
public final class RunningSluice: @unchecked Sendable {
    private let process = Process()
    private let outputFile: URL
    private let errorFile: URL

    /// The child's process id.
    public var processID: Int32 { process.processIdentifier }

    init(binary: URL, arguments: [String], directory: URL, environment: [String: String]) throws {
        let stem = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-run-\(UUID().uuidString)")
        outputFile = stem.appendingPathExtension("out")
        errorFile = stem.appendingPathExtension("err")
        for file in [outputFile, errorFile] where !FileManager.default.createFile(atPath: file.path, contents: nil) {
            throw SluiceProcessError(description: "cannot create \(file.path)")
        }
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = SluiceProcess.childEnvironment(environment)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
    }

    deinit {
        if process.isRunning { SystemCalls.send(SIGKILL, to: process.processIdentifier) }
        try? FileManager.default.removeItem(at: outputFile)
        try? FileManager.default.removeItem(at: errorFile)
    }

    /// Whether the process still runs.
    public var isRunning: Bool { process.isRunning }

    /// Sends SIGKILL after `delay`, unless the process ended before; returns whether the kill was sent.
    ///
    /// The delay only chooses *when* the fault strikes; whatever the process had done by then, the test checks
    /// the same invariant.
    @discardableResult
    public func kill(after delay: Duration) -> Bool {
        let deadline = ContinuousClock.now + delay
        while process.isRunning && ContinuousClock.now < deadline { usleep(2_000) }
        guard process.isRunning else { return false }
        SystemCalls.send(SIGKILL, to: process.processIdentifier)
        return true
    }

    /// Waits until standard error contains `text` (a phase the process reports), for at most `timeout`; returns
    /// whether it appeared while the process still ran.
    public func waitForError(containing text: String, timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            if let data = FileManager.default.contents(atPath: errorFile.path),
                String(decoding: data, as: UTF8.self).contains(text)
            {
                return true
            }
            usleep(5_000)
        }
        return false
    }

    /// Waits up to `timeout` for the process to end; if it still runs then, kills it. Returns its outcome (with
    /// what it printed until then) and whether it had to be killed: how a test tells a hang from an end. The timeout
    /// is a bound on a liveness check, far above any run's duration, never a measured result.
    public func end(within timeout: Duration) -> (outcome: SluiceProcess.Outcome, hung: Bool) {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { usleep(10_000) }
        guard process.isRunning else { return (wait(), false) }
        SystemCalls.send(SIGKILL, to: process.processIdentifier)
        return (wait(), true)
    }

    /// Waits for the process to end and returns its outcome; `status` is 128 + the signal number when a signal
    /// ended it (137 for SIGKILL).
    public func wait() -> SluiceProcess.Outcome {
        process.waitUntilExit()
        let status =
            process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return SluiceProcess.Outcome(
            status: status,
            output: (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "",
            error: (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        )
    }
}
