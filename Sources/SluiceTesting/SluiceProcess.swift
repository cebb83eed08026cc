import Foundation
import Synchronization

/// Runs the built `sluice` binary, as users and scripts do, and other command-line tools.
public enum SluiceProcess {
    /// How a process ended and what it printed.
    public struct Outcome: Sendable {
        /// The exit status.
        public var status: Int32
        /// Standard output.
        public var output: String
        /// Standard error.
        public var error: String
    }

    /// The package root, found from this file's path.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The `sluice` binary built beside this test bundle (whatever the scratch path), else the one `swift build`
    /// leaves in `.build` (scripts/test.sh builds it before testing).
    public static var binary: URL {
        get throws {
            let beside = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            var candidates = [beside.appendingPathComponent("sluice")]
            for configuration in ["debug", "release"] {
                candidates.append(packageRoot.appendingPathComponent(".build/\(configuration)/sluice"))
            }
            for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
            throw SluiceProcessError(
                description: "the sluice binary is not built: run `swift build` first (scripts/test.sh does)"
            )
        }
    }

    /// Runs `sluice ARGUMENTS` in `directory` and waits for it.
    @discardableResult
    public static func run(
        _ arguments: [String],
        in directory: URL,
        environment: [String: String] = [:]
    ) throws -> Outcome {
        try runTool(try binary.path, arguments, in: directory, environment: environment)
    }

    /// Runs any tool (sqlite3, zstd, …) in `directory`.
    @discardableResult
    public static func runTool(
        _ tool: String,
        _ arguments: [String],
        in directory: URL,
        environment: [String: String] = [:]
    ) throws -> Outcome {
        let process = Process()
        if tool.hasPrefix("/") {
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [tool] + arguments
        }
        process.currentDirectoryURL = directory
        process.environment = SluiceProcess.childEnvironment(environment)
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Standard error is read on a thread of its own: a tool that fills one pipe while we wait on the other
        // (trace logs) would otherwise never finish.
        let errorData = PipeReader(error.fileHandleForReading)
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            output: String(decoding: outputData, as: UTF8.self),
            error: String(decoding: errorData.wait(), as: UTF8.self)
        )
    }
}

/// Reads a pipe to its end on a thread of its own.
private final class PipeReader: Sendable {
    private let data = Mutex<Data?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        let thread = Thread { [self] in
            let read = handle.readDataToEndOfFile()
            data.withLock { $0 = read }
            done.signal()
        }
        thread.start()
    }

    /// Everything the pipe held, once it closed.
    func wait() -> Data {
        done.wait()
        return data.withLock { $0 ?? Data() }
    }
}

/// The `sluice` binary could not be found.
public struct SluiceProcessError: Error, CustomStringConvertible {
    public let description: String
}

extension SluiceProcess {
    /// This process's environment for a child, without the variables that would pick a default target
    /// (`SLUICE_TARGET`, `SLUICE_DATABASE_URL`), with `environment` over it.
    static func childEnvironment(_ environment: [String: String]) -> [String: String] {
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "SLUICE_TARGET")
        merged.removeValue(forKey: "SLUICE_DATABASE_URL")
        for (key, value) in environment { merged[key] = value }
        return merged
    }
}
