import Foundation
import Sluice
import Testing

@testable import SluiceFormats

/// A compressed file cut in the middle names the line its stream ends in, after the complete lines before it (the
/// reader parses those first), not the line it had reached when the window was filled.
@Suite("Truncated compressed files: the line where the stream ends")
struct TruncatedStreamLineTests {
    static let cases: [(Compression, String)] = [
        (.gzip, "csv"), (.zstd, "csv"), (.lz4, "csv"), (.gzip, "jsonl"), (.zstd, "jsonl"),
    ]

    /// 1,000 records (plus a CSV header) of about 400 bytes each that compress little, so that half the compressed
    /// file holds complete blocks of every codec here (zstd blocks are up to 128 KiB).
    static func text(format: String) -> String {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var lines = format == "csv" ? ["id,payload"] : []
        for index in 0..<1000 {
            var payload = ""
            for _ in 0..<25 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                payload += String(state >> 1, radix: 16)
            }
            let payloadText = String(payload.prefix(400))
            lines.append(format == "csv" ? "\(index),\(payloadText)" : #"{"id":\#(index),"payload":"\#(payloadText)"}"#)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("the error names a line past the first and within the file", arguments: cases)
    func truncatedInTheMiddle(compression: Compression, format: String) throws {
        let directory = try TemporaryDirectory()
        let text = Self.text(format: format)
        let lineCount = text.utf8.count { $0 == UInt8(ascii: "\n") }
        let full = directory.file("full")
        try writeCompressed(Array(text.utf8), to: full, compression)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: full)))
        let path = try directory.write("prices.\(format)", Array(bytes.prefix(bytes.count / 2)))
        let error = try #require(readError(path))
        #expect(error.code == .malformedInput)
        let pattern =
            #/^(.*): line (\d+): the (\w+) stream ends early, after (\d+) complete lines \(truncated file; \d+ bytes of input\)$/#
        let match = try #require(try pattern.wholeMatch(in: error.message), "\(error.message)")
        #expect(match.1 == Substring(path))
        #expect(match.3 == Substring(compression.rawValue))
        let line = try #require(Int(match.2))
        #expect(line > 1 && line <= lineCount, "\(error.message)")
        #expect(Int(match.4) == line - 1)
        // About half the file was kept: the line is near the middle, not at its start.
        #expect(line > lineCount / 10, "\(error.message)")
    }

    @Test("with a given schema too (no inference pass)")
    func truncatedWithAGivenSchema() throws {
        let directory = try TemporaryDirectory()
        let text = Self.text(format: "csv")
        let full = directory.file("full")
        try writeCompressed(Array(text.utf8), to: full, .gzip)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: full)))
        let path = try directory.write("prices.csv", Array(bytes.prefix(bytes.count / 2)))
        var options = ReadOptions()
        options.schema = Schema(columns: [Column("id", .int64), Column("payload", .string)])
        options.chunkSize = 16 * 1024
        let error = try #require(readError(path, options: options))
        let line = try #require(error.message.firstMatch(of: #/: line (\d+): /#).flatMap { Int($0.1) })
        #expect(line > 100 && line <= 1001, "\(error.message)")
    }
}
