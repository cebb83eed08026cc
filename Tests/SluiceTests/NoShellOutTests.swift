import Foundation
import Testing

/// SECURITY.md promise 5: the library and the CLI start no processes, so no user data can reach a shell.
///
/// Scans every Swift file of the package's `Sources/` (and `Fuzz/`) for the ways Swift on Linux starts a process.
/// Only `Sources/SluiceTesting`, the test harness that runs `initdb`, `redis-server` and the checking tools, may.
@Suite("No shell-outs")
struct NoShellOutTests {
    /// Calls that start a process or run a shell, as they appear in source.
    static let processStarters = [
        "Process(", "Process.run", "NSTask", "posix_spawn", "popen(", "system(", "execv", "execl", "execve",
        "fork(", "vfork(", "/bin/sh",
    ]

    /// The folder allowed to start processes: the test harness.
    static let allowed = "Sources/SluiceTesting/"

    /// The `file:line: text` of every line of `text` that starts a process.
    static func findings(in text: String, file: String) -> [String] {
        var found: [String] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let code = line.trimmingCharacters(in: .whitespaces)
            if code.hasPrefix("//") { continue }
            if processStarters.contains(where: { code.contains($0) }) {
                found.append("\(file):\(index + 1): \(code)")
            }
        }
        return found
    }

    /// The package's root directory, from this file's path.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    @Test("the scanner finds each way of starting a process, and ignores comments")
    func scannerFindsStarters() {
        for starter in Self.processStarters {
            let text = "let a = 1\n    let task = \(starter)\"x\")\n"
            #expect(Self.findings(in: text, file: "F.swift") == ["F.swift:2: let task = \(starter)\"x\")"])
        }
        #expect(Self.findings(in: "// Process() is not used\nlet process = ProcessInfo.processInfo", file: "F").isEmpty)
    }

    @Test("no source outside the test harness starts a process")
    func noSourceStartsAProcess() throws {
        let root = Self.packageRoot
        var scanned = 0
        var findings: [String] = []
        for folder in ["Sources", "Fuzz"] {
            let base = root.appendingPathComponent(folder)
            guard let files = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else {
                Issue.record("cannot list \(base.path)")
                continue
            }
            for case let file as URL in files where file.pathExtension == "swift" {
                let relative = String(file.path.dropFirst(root.path.count + 1))
                if relative.hasPrefix(Self.allowed) || relative.contains("/.build/") { continue }
                scanned += 1
                findings += Self.findings(in: try String(contentsOf: file, encoding: .utf8), file: relative)
            }
        }
        #expect(scanned > 100, "scanned only \(scanned) files under \(root.path)")
        #expect(findings.isEmpty, "processes started outside \(Self.allowed):\n\(findings.joined(separator: "\n"))")
    }
}
