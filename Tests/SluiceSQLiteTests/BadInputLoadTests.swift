import Foundation
import Sluice
import SluiceFormats
import SluiceSQLite
import Testing

/// Bad files loaded end to end (reader → preparer → SQLite): each fails with its one-line error naming the file,
/// line and column (or key), and the table keeps exactly its previous contents (same checksum, still verified).
@Suite("Bad input files leave the table unchanged")
struct BadInputLoadTests {
    static let header = "symbol,date,close,volume\n"
    static let good = header + "AAPL,2024-01-02,185.6400,100\nMSFT,2024-01-02,370.8700,200\n"

    enum Input {
        case text(String)
        case bytes([UInt8])
        case truncated(String, Compression)
    }

    /// Seeds `prices` from a good file, loads `input` with `strategy`, and returns the load's error message after
    /// checking that the table is unchanged.
    func failedLoadMessage(
        _ name: String,
        _ input: Input,
        strategy: LoadingStrategy = .upsert,
        key: [String] = ["symbol", "date"]
    ) async throws -> String? {
        try await SQLiteTestDatabase.withLoader { loader, database in
            let goodPath = database.directory.appendingPathComponent("good.csv").path
            try Self.good.write(toFile: goodPath, atomically: true, encoding: .utf8)
            let seeded = try await load(goodPath, into: loader, strategy: .upsert, key: ["symbol", "date"])
            let before = try #require(seeded.currentVersionID)

            let path = database.directory.appendingPathComponent(name).path
            try write(input, to: path)
            var message: String?
            do {
                _ = try await load(path, into: loader, strategy: strategy, key: key)
                Issue.record("the load of \(name) succeeded")
            } catch let error as SluiceError {
                message = error.message
                #expect(!error.message.contains("\n"))
            }
            let verification = try await loader.verify(table: "prices")
            #expect(verification.isValid)
            #expect(verification.versionID == before)
            #expect(verification.actualChecksum == seeded.checksum)
            #expect(verification.actualRecordCount == 2)
            return message.map { $0.replacingOccurrences(of: path, with: name) }
        }
    }

    func load(
        _ path: String,
        into loader: SQLiteLoader,
        strategy: LoadingStrategy,
        key: [String]
    ) async throws
        -> LoadResult
    {
        var options = ReadOptions()
        options.schema = try await loader.schema(of: "prices")
        options.chunkSize = 4096
        let opened = try FileSource.open(paths: [path], options: options)
        let request = LoadRequest(table: "prices", strategy: strategy, keyColumns: key, source: path)
        return try await loader.load(opened.stream, request: request)
    }

    func write(_ input: Input, to path: String) throws {
        switch input {
        case .text(let text): try text.write(toFile: path, atomically: true, encoding: .utf8)
        case .bytes(let bytes): try Data(bytes).write(to: URL(fileURLWithPath: path))
        case .truncated(let text, let compression):
            let output = try CompressedOutput(path: path + ".full", compression: compression)
            try Array(text.utf8).withUnsafeBytes { try output.write($0) }
            try output.finish()
            let full = try Data(contentsOf: URL(fileURLWithPath: path + ".full"))
            try full.prefix(full.count / 2).write(to: URL(fileURLWithPath: path))
        }
    }

    @Test func unterminatedQuote() async throws {
        let message = try await failedLoadMessage(
            "q.csv",
            .text(Self.header + "IBM,2024-01-02,1.0,1\n\"IBM,2024-01-03,1.0,1\n")
        )
        #expect(message == "q.csv:3:1: unterminated quoted field (opened here)")
    }

    @Test func wrongColumnCount() async throws {
        let message = try await failedLoadMessage("c.csv", .text(Self.header + "IBM,2024-01-02,1.0,1\nIBM,1.0,1\n"))
        #expect(message == "c.csv:3: expected 4 fields, found 3")
    }

    @Test func invalidUTF8() async throws {
        let bytes = Array((Self.header + "IBM,2024-01-02,1.0,1\nIB").utf8) + [0xFF] + Array("M,2024-01-03,1.0,1\n".utf8)
        let message = try await failedLoadMessage("u.csv", .bytes(bytes))
        #expect(message == "u.csv:3:3: invalid UTF-8 byte 0xFF")
    }

    @Test(arguments: [Compression.gzip, .bzip2, .lz4, .zstd])
    func truncatedCompressedFile(compression: Compression) async throws {
        var text = Self.header
        for day in 0..<60_000 { text += "S\(day),2024-01-02,\(day).2500,\(day)\n" }
        let message = try await failedLoadMessage("t.csv", .truncated(text, compression))
        // The line is the one the stream ends in: past the complete lines before it (a block codec cut inside its
        // first block has none, so line 1 is then right).
        let pattern =
            #/^t\.csv: line (\d+): the (\w+) stream ends early(, after (\d+) complete lines)? \(truncated file; \d+ bytes of input\)$/#
        let match = message.flatMap { try? pattern.wholeMatch(in: $0) }
        #expect(match?.2 == Substring(compression.rawValue), "\(message ?? "no error")")
        let line = match.flatMap { Int($0.1) } ?? 0
        #expect((1...60_001).contains(line), "\(message ?? "no error")")
        if let complete = match?.4 { #expect(Int(complete) == line - 1, "\(message ?? "no error")") }
    }

    @Test func jsonSyntaxError() async throws {
        let text =
            #"{"symbol":"IBM","date":"2024-01-02","close":1.5,"volume":1}"# + "\n"
            + #"{"symbol":"IBM","date":"2024-01-03" "close":1.5,"volume":1}"# + "\n"
        let message = try await failedLoadMessage("j.jsonl", .text(text))
        #expect(message?.hasPrefix("j.jsonl:2:37: ") == true, "\(message ?? "no error")")
    }

    @Test func textInADecimalColumn() async throws {
        let message = try await failedLoadMessage("d.csv", .text(Self.header + "IBM,2024-01-02,abc,1\n"))
        #expect(message == "d.csv:2:16: column 'close': expected decimal(18,4), found \"abc\"")
    }

    @Test func decimalOutOfRange() async throws {
        let message = try await failedLoadMessage(
            "r.csv",
            .text(Self.header + "IBM,2024-01-02,12345678901234567.5,1\n")
        )
        #expect(message == "r.csv:2:16: column 'close': \"12345678901234567.5\" is out of range for decimal(18,4)")
    }

    @Test func duplicateKeyUnderInsertOnly() async throws {
        let message = try await failedLoadMessage(
            "k.csv",
            .text(Self.header + "IBM,2024-01-02,1.0,1\nIBM,2024-01-02,2.0,1\n"),
            strategy: .insertOnly
        )
        #expect(message == "k.csv:3: duplicate key (symbol=IBM, date=2024-01-02) in the input, first at line 2")
    }

    @Test func missingKeyColumn() async throws {
        let message = try await failedLoadMessage("m.csv", .text("symbol,close,volume\nIBM,1.0,1\n"))
        #expect(message == "m.csv: key column 'date' is not in the file (columns: symbol, close, volume)")
    }

    @Test func emptyKeyValue() async throws {
        let message = try await failedLoadMessage("e.csv", .text(Self.header + ",2024-01-02,1.0,1\n"))
        #expect(message == "e.csv:2: column 'symbol': key column 'symbol' is empty")
    }
}
