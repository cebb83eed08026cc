import Foundation
import Testing

/// Runs the built `sluice` binary, as users and scripts do.
struct SluiceProcess {
    struct Outcome {
        var status: Int32
        var output: String
        var error: String
    }

    /// The package root, found from this file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The `sluice` binary built beside this test bundle (whatever the scratch path), else the one `swift build`
    /// leaves in `.build` (scripts/test.sh builds it before testing).
    static var binary: URL {
        get throws {
            let beside = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            var candidates = [beside.appendingPathComponent("sluice")]
            for configuration in ["debug", "release"] {
                candidates.append(packageRoot.appendingPathComponent(".build/\(configuration)/sluice"))
            }
            for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
            throw CLITestError("the sluice binary is not built: run `swift build` first (scripts/test.sh does)")
        }
    }

    /// Runs `sluice ARGUMENTS` in `directory` and waits for it.
    @discardableResult
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> Outcome {
        try runTool(try binary.path, arguments, in: directory, environment: environment)
    }

    /// Runs any tool (sqlite3, zstd, …) in `directory`.
    @discardableResult
    static func runTool(
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
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "SLUICE_TARGET")
        merged.removeValue(forKey: "SLUICE_DATABASE_URL")
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus,
            output: String(decoding: outputData, as: UTF8.self),
            error: String(decoding: errorData, as: UTF8.self)
        )
    }
}

struct CLITestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A fresh temporary working directory, removed afterwards.
func withWorkingDirectory<Result>(_ body: (URL) throws -> Result) throws -> Result {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

/// Parses one JSON object printed by `--json`.
func jsonObject(_ text: String) throws -> [String: Any] {
    let data = Data(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw CLITestError("not a JSON object: \(text)")
    }
    return object
}
