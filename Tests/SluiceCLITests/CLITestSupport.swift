import Foundation

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
