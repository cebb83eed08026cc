import Foundation
import Sluice
import Testing

@testable import SluiceFormats

@Suite("Compression")
struct CompressionTests {
    static let compressed: [Compression] = [.gzip, .bzip2, .lz4, .zstd]

    @Test("magic bytes decide, not the extension", arguments: Compression.allCases)
    func detectsFromMagicBytes(compression: Compression) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("misleading.csv")
        let text = sampleText(lines: 100)
        try writeCompressed(text, to: path, compression)
        let input = try ByteInput(path: path)
        #expect(input.compression == compression)
        #expect(try readAll(path) == text)
    }

    @Test("every compression round-trips through our encoder and the system tool agrees", arguments: compressed)
    func roundTrip(compression: Compression) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("data." + compression.fileExtension)
        let text = sampleText(lines: 50_000)
        try writeCompressed(text, to: path, compression)
        #expect(try readAll(path, chunkSize: 10_000) == text)
        if let status = try runTool([compression.rawValue, "-t", path]) { #expect(status == 0) }
    }

    @Test("files compressed by the system tools read back", arguments: compressed)
    func readsSystemToolOutput(compression: Compression) throws {
        let directory = try TemporaryDirectory()
        let text = sampleText(lines: 20_000)
        let plain = try directory.write("plain.csv", text)
        let path = directory.file("tool.csv." + compression.fileExtension)
        guard try runTool([compression.rawValue, "-c", plain], standardOutput: path) != nil else { return }
        #expect(try readAll(path) == text)
    }

    @Test("concatenated members and frames are all read", arguments: compressed)
    func readsConcatenatedStreams(compression: Compression) throws {
        let directory = try TemporaryDirectory()
        let first = sampleText(lines: 300)
        let second = Array("MSFT,2025-01-02,1.0000,second member\n".utf8)
        try writeCompressed(first, to: directory.file("a"), compression)
        try writeCompressed(second, to: directory.file("b"), compression)
        let joined =
            try Data(contentsOf: URL(fileURLWithPath: directory.file("a")))
            + Data(contentsOf: URL(fileURLWithPath: directory.file("b")))
        let path = try directory.write("joined", [UInt8](joined))
        #expect(try readAll(path) == first + second)
    }

    @Test("members compressed by the system tools and concatenated (`cat a.gz b.gz`) all load", arguments: compressed)
    func readsConcatenatedToolOutput(compression: Compression) throws {
        let directory = try TemporaryDirectory()
        let first = try directory.write("a.csv", "symbol,close\nAAPL,1.5000\n")
        let second = try directory.write("b.csv", "MSFT,2.2500\nGOOG,3.0000\n")
        let tool = compression.rawValue
        guard try runTool([tool, "-c", first], standardOutput: directory.file("a.z")) != nil,
            try runTool([tool, "-c", second], standardOutput: directory.file("b.z")) != nil
        else { return }
        let joined =
            try Data(contentsOf: URL(fileURLWithPath: directory.file("a.z")))
            + Data(contentsOf: URL(fileURLWithPath: directory.file("b.z")))
        let path = try directory.write("joined.csv", [UInt8](joined))
        let result = try readFile(path)
        #expect(
            result.rows == [
                [.string("AAPL"), .dec("1.5000")], [.string("MSFT"), .dec("2.2500")],
                [.string("GOOG"), .dec("3.0000")],
            ]
        )
        #expect(result.lines == [2, 3, 4])
    }

    @Test("the byte counter counts compressed bytes up to the file size", arguments: Compression.allCases)
    func countsBytes(compression: Compression) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("counted")
        try writeCompressed(sampleText(lines: 3000), to: path, compression)
        let counter = ByteCounter()
        let input = try ByteInput(path: path, byteCounter: counter, chunkSize: 1000)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(counter.bytesTotal == Int64(size ?? -1))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while try buffer.withUnsafeMutableBytes({ try input.read(into: $0) }) > 0 {}
        #expect(counter.bytesRead == counter.bytesTotal)
    }

    @Test("a truncated stream is an error naming the file, never short data", arguments: compressed)
    func truncatedStreamFails(compression: Compression) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("full")
        try writeCompressed(sampleText(lines: 5000), to: path, compression)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let cut = try directory.write("cut.csv", Array(bytes.prefix(bytes.count * 2 / 3)))
        let error = sluiceError { _ = try readAll(cut) }
        #expect(error?.code == .malformedInput)
        #expect(
            error?.message.hasPrefix("\(cut): the \(compression.rawValue) stream ends early (truncated file; ") == true
        )
    }

    @Test("a stream cut right after its header is truncated too", arguments: compressed)
    func truncatedAfterHeaderFails(compression: Compression) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("full")
        try writeCompressed(sampleText(lines: 10), to: path, compression)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let cut = try directory.write("cut", Array(bytes.prefix(12)))
        let error = sluiceError { _ = try readAll(cut) }
        #expect(error?.code == .malformedInput)
    }

    @Test("corrupt bytes inside a stream are an error", arguments: compressed)
    func corruptStreamFails(compression: Compression) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("full")
        try writeCompressed(sampleText(lines: 5000), to: path, compression)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        for index in stride(from: bytes.count / 2, to: bytes.count / 2 + 64, by: 1) { bytes[index] ^= 0x5a }
        let broken = try directory.write("broken", bytes)
        let error = sluiceError { _ = try readAll(broken) }
        #expect(error?.code == .malformedInput)
        #expect(error?.message.hasPrefix(broken + ": ") == true)
    }

    @Test("levels outside the codec's range are refused")
    func levelOutOfRange() throws {
        let directory = try TemporaryDirectory()
        let error = sluiceError {
            _ = try CompressedOutput(path: directory.file("x.gz"), compression: .gzip, level: 12)
        }
        #expect(error?.message == "gzip compression level 12 is out of range 0-9")
    }

    @Test("extensions map to compressions and strip off")
    func extensions() {
        #expect(Compression(fileName: "a.csv.gz") == .gzip)
        #expect(Compression(fileName: "a.csv.zstd") == .zstd)
        #expect(Compression(fileName: "a.csv") == Compression.none)
        #expect(Compression.strippingExtension("prices.jsonl.bz2") == "prices.jsonl")
    }
}
