import Foundation
import Sluice

@testable import SluiceFormats

/// A fresh temporary directory for one test, removed when the value is dropped.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "sluice-formats-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `name` inside the directory.
    func file(_ name: String) -> String { path + "/" + name }

    /// Writes `text` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    /// Writes `bytes` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: file(name)))
        return file(name)
    }
}

/// Runs a command-line tool; returns its exit status, or `nil` when it is not installed.
@discardableResult
func runTool(_ arguments: [String], standardOutput: String? = nil) throws -> Int32? {
    guard
        let tool = ["/usr/bin/", "/bin/", "/usr/local/bin/"].map({ $0 + arguments[0] })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
    else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = Array(arguments.dropFirst())
    if let standardOutput {
        _ = FileManager.default.createFile(atPath: standardOutput, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: standardOutput))
    } else {
        process.standardOutput = FileHandle.nullDevice
    }
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}

/// The whole decompressed content of `path`, read through ``ByteInput`` in small chunks.
func readAll(_ path: String, chunkSize: Int = 4096) throws -> [UInt8] {
    let input = try ByteInput(path: path, chunkSize: chunkSize)
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 1000)
    while true {
        let count = try buffer.withUnsafeMutableBytes { try input.read(into: $0) }
        if count == 0 { break }
        result += buffer[0..<count]
    }
    return result
}

/// Compresses `bytes` into `path` with ``CompressedOutput``.
func writeCompressed(_ bytes: [UInt8], to path: String, _ compression: Compression, level: Int? = nil) throws {
    let output = try CompressedOutput(path: path, compression: compression, level: level)
    try bytes.withUnsafeBytes { try output.write($0) }
    try output.finish()
}

/// The error a throwing body raised, as a ``SluiceError``.
func sluiceError(_ body: () throws -> Void) -> SluiceError? {
    do {
        try body()
        return nil
    } catch let error as SluiceError {
        return error
    } catch {
        return SluiceError(.io, "unexpected \(error)")
    }
}

/// Some text large enough to span several chunks.
func sampleText(lines: Int) -> [UInt8] {
    var text = ""
    for index in 0..<lines { text += "AAPL,2025-08-\(index % 28 + 10),\(index).4500,Zürich ✓\n" }
    return Array(text.utf8)
}

/// Everything a file reads to: the schema, the rows as values, their lines, and the rejects.
struct ReadResult {
    var schema: Schema
    var rows: [[Value]] = []
    var lines: [Int] = []
    var rejects: [RowReject] = []
    var batchCount = 0
}

/// Reads `path` with ``FileSource`` (schema resolved the way `open` resolves it), synchronously.
func readFile(_ path: String, options: ReadOptions = ReadOptions()) throws -> ReadResult {
    let schema = try FileSource.schema(of: path, options: options)
    var reader = try FileSource.reader(path: path, schema: schema, options: options)
    var result = ReadResult(schema: schema)
    while let batch = try reader.next() {
        result.batchCount += 1
        for row in 0..<batch.count { result.rows.append(batch.row(row)) }
        result.lines += batch.lines
        result.rejects += batch.rejects
    }
    return result
}

/// The error reading `path` raised, as a ``SluiceError``.
func readError(_ path: String, options: ReadOptions = ReadOptions()) -> SluiceError? {
    sluiceError { _ = try readFile(path, options: options) }
}

extension Value {
    /// A decimal value from text, for expectations.
    static func dec(_ text: String) -> Value { .decimal(ExactDecimal(text)!) }
    /// A date value from `YYYY-MM-DD`, for expectations.
    static func day(_ text: String) -> Value { .date(CivilDate(text)!) }
}
