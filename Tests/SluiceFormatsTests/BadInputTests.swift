import Foundation
import Sluice
import Testing

@testable import SluiceFormats

@Suite("Bad input: one-line errors and rejects naming file, line and column")
struct BadInputTests {
    @Test("an unterminated quoted field points at its opening quote")
    func unterminatedQuote() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("prices.csv", "a,b\n1,2\n3,\"open\n4,5\n")
        #expect(readError(path)?.message == "\(path):3:3: unterminated quoted field (opened here)")
        #expect(readError(path)?.code == .malformedInput)
    }

    @Test("a stray quote in an unquoted field")
    func strayQuote() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("prices.csv", "a,b\n1,ab\"c\n")
        #expect(
            readError(path)?.message
                == "\(path):2:5: unexpected '\"' in unquoted field (quote the field and double the quote)"
        )
    }

    @Test("text after a closing quote")
    func garbageAfterQuote() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("prices.csv", "a,b\n1,\"x\"y\n")
        #expect(readError(path)?.message == "\(path):2:6: expected ',' or end of line after closing quote, found 'y'")
    }

    @Test("invalid UTF-8 names the byte and its position")
    func invalidUTF8() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("prices.csv", Array("a,b\nx,y\nAAPL,ab".utf8) + [0xFF] + Array("c\n".utf8))
        #expect(readError(path)?.message == "\(path):3:8: invalid UTF-8 byte 0xFF")
    }

    @Test("a wrong number of fields rejects the row with its line; other rows load")
    func wrongFieldCount() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("prices.csv", "a,b,c\n1,2,3\n4,5\n6,7,8\n")
        let result = try readFile(path)
        #expect(result.rows.count == 2)
        #expect(result.rejects.map(\.description) == ["\(path):3: expected 3 fields, found 2"])
        #expect(result.rejects.first?.line == 3)
    }

    @Test("text in a decimal column rejects the row naming the column and the text")
    func textInDecimalColumn() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("prices.csv", "symbol,close\nAAPL,1.5\nMSFT,abc\n")
        var options = ReadOptions()
        options.schema = Schema(columns: [
            Column("symbol", .string), Column("close", .decimal(precision: 18, scale: 4)),
        ])
        let result = try readFile(path, options: options)
        #expect(result.rows == [[.string("AAPL"), .dec("1.5000")]])
        #expect(
            result.rejects.map(\.description) == [#"\#(path):3:6: column 'close': expected decimal(18,4), found "abc""#]
        )
    }

    @Test("a decimal out of range rejects the row")
    func decimalOutOfRange() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("prices.csv", "close\n12345678901234567.5\n")
        var options = ReadOptions()
        options.schema = Schema(columns: [Column("close", .decimal(precision: 18, scale: 4))])
        let result = try readFile(path, options: options)
        #expect(result.rows.isEmpty)
        #expect(
            result.rejects.map(\.description)
                == [#"\#(path):2:1: column 'close': "12345678901234567.5" is out of range for decimal(18,4)"#]
        )
    }

    @Test(
        "a truncated compressed file fails with the file and line, never short data",
        arguments: [Compression.gzip, .bzip2, .lz4, .zstd]
    )
    func truncatedCompressedCSV(compression: Compression) throws {
        let directory = try TemporaryDirectory()
        var text = "symbol,close\n"
        for index in 0..<100_000 { text += "S\(index),\(index).25\n" }
        let full = directory.file("full")
        try writeCompressed(Array(text.utf8), to: full, compression)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: full)))
        let path = try directory.write("prices.csv", Array(bytes.prefix(bytes.count / 2)))
        var options = ReadOptions()
        options.chunkSize = 16 * 1024
        let error = readError(path, options: options)
        #expect(error?.code == .malformedInput)
        let pattern =
            #/^.*prices\.csv: line \d+: the (\w+) stream ends early(?:, after \d+ complete lines?)? \(truncated file; \d+ bytes of input\)$/#
        let match = error.flatMap { try? pattern.wholeMatch(in: $0.message) }
        #expect(match?.1 == Substring(compression.rawValue), "\(error?.message ?? "no error")")
    }

    @Test("a header column the given schema lacks is an error unless inferred")
    func unknownHeaderColumn() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("prices.csv", "symbol,extra\nAAPL,1\n")
        var options = ReadOptions()
        options.schema = Schema(columns: [Column("symbol", .string)])
        options.inferMissingColumns = false
        #expect(readError(path, options: options)?.message == "\(path): column 'extra' is not in the given schema")
        options.inferMissingColumns = true
        let result = try readFile(path, options: options)
        #expect(result.schema.columns == [Column("symbol", .string), Column("extra", .int64)])
        #expect(result.rows == [[.string("AAPL"), .int64(1)]])
    }
}
