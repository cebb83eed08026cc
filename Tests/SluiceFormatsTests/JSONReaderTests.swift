import Foundation
import Sluice
import Testing

@testable import SluiceFormats

@Suite("Reading JSON and JSON Lines")
struct JSONReaderTests {
    static let priceSchema = Schema(columns: [
        Column("symbol", .string), Column("close", .decimal(precision: 18, scale: 4)), Column("meta", .json),
    ])

    @Test("an array of objects; keys by name, missing keys and null are NULL, decimals stay exact")
    func arrayOfObjects() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "p.json",
            """
            [
              {"symbol": "AAPL", "close": 123.4500, "meta": {"a": [1, 2.5, "x"]}},
              {"close": "7.25", "symbol": "MSFT"},
              {"symbol": null, "close": null, "meta": [true, false, null]}
            ]
            """
        )
        var options = ReadOptions()
        options.schema = Self.priceSchema
        let result = try readFile(path, options: options)
        #expect(
            result.rows == [
                [.string("AAPL"), .dec("123.4500"), .json(#"{"a": [1, 2.5, "x"]}"#)],
                [.string("MSFT"), .dec("7.2500"), .null],
                [.null, .null, .json("[true, false, null]")],
            ]
        )
        #expect(result.lines == [2, 3, 4])
    }

    @Test("JSON Lines: one object per line, blank lines skipped")
    func jsonLines() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "p.jsonl",
            "{\"symbol\":\"A\",\"close\":1}\n\n{\"symbol\":\"B\",\"close\":2.5}\n"
        )
        let result = try readFile(path)
        #expect(
            result.schema.columns == [Column("symbol", .string), Column("close", .decimal(precision: 18, scale: 1))]
        )
        #expect(result.rows == [[.string("A"), .dec("1.0")], [.string("B"), .dec("2.5")]])
        #expect(result.lines == [1, 3])
    }

    @Test("string escapes, including \\u surrogate pairs")
    func escapes() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "e.jsonl",
            #"{"s":"q\"b\\s\/n\nt\tu\u00e9\ud83d\ude00 ✓"}"# + "\n"
        )
        let result = try readFile(path)
        #expect(result.rows == [[.string("q\"b\\s/n\nt\tué😀 ✓")]])
    }

    @Test("format sniffed from the first byte when the extension says nothing")
    func sniffing() throws {
        let directory = try TemporaryDirectory()
        let array = try directory.write("a.data", "  [{\"x\": 1}]")
        let lines = try directory.write("b.data", "{\"x\": 1}\n{\"x\": 2}\n")
        #expect(try OpenedFile.open(array, options: ReadOptions()).format == .json)
        #expect(try OpenedFile.open(lines, options: ReadOptions()).format == .jsonl)
        #expect(try readFile(lines).rows == [[.int64(1)], [.int64(2)]])
    }

    @Test("a syntax error names line and column and what was expected")
    func syntaxError() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "prices.jsonl",
            "{\"a\": 1}\n{\"a\": 2}\n{\"a\": 3}\n{\"a\": 4, \"b\" x}\n"
        )
        #expect(readError(path)?.message == "\(path):4:14: expected ':' after member name, found 'x'")
        let member = try directory.write("m.jsonl", "{\"a\": 1}\n{\"a\": 2 x}\n")
        #expect(readError(member)?.message == "\(member):2:9: expected ',' or '}' after object member, found 'x'")
    }

    @Test(
        "syntax errors inside arrays, strings and numbers",
        arguments: [
            ("[{\"a\": 1},]", "1:11: expected '{' to start an object, found ']'"),
            ("[{\"a\": 1}", "1:10: unexpected end of input: the top-level array is not closed with ']'"),
            ("[{\"a\": \"x}]", "1:12: unterminated string"),
            ("[{\"a\": 01}]", "1:8: leading zero in number"),
            ("[{\"a\": tru}]", "1:8: expected a value, found 't'"),
            ("[{\"a\": \"\\ud800\"}]", "1:9: invalid \\u escape: high surrogate without a low surrogate"),
            ("[{\"a\": 1}] x", "1:12: unexpected 'x' after the top-level array"),
            ("{\"a\": [1, 2}", "1:12: expected ',' or ']' after array element, found '}'"),
        ]
    )
    func syntaxErrors(text: String, expected: String) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("bad.json", text)
        #expect(readError(path)?.message == "\(path):\(expected)")
    }

    @Test("invalid UTF-8 inside a string")
    func invalidUTF8() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "u.jsonl",
            Array("{\"a\": \"ok\"}\n{\"a\": \"b".utf8) + [0xC3, 0x28] + Array("\"}\n".utf8)
        )
        #expect(readError(path)?.message == "\(path):2:9: invalid UTF-8 byte 0xC3")
    }

    @Test("a key not in the schema rejects the row; a value that does not fit its column too")
    func rejects() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "r.jsonl",
            "{\"symbol\":\"A\",\"close\":1}\n{\"symbol\":\"B\",\"volume\":3}\n{\"symbol\":\"C\",\"close\":\"abc\"}\n"
        )
        var options = ReadOptions()
        options.schema = Self.priceSchema
        options.inferenceRows = 1
        let result = try readFile(path, options: options)
        #expect(result.rows == [[.string("A"), .dec("1.0000"), .null]])
        #expect(
            result.rejects.map(\.description) == [
                #"\#(path):2:15: unknown key "volume" (not in the schema)"#,
                #"\#(path):3:23: column 'close': expected decimal(18,4), found "abc""#,
            ]
        )
    }

    @Test("objects spanning chunk boundaries read the same with a tiny chunk size")
    func tinyChunks() throws {
        let directory = try TemporaryDirectory()
        var text = "[\n"
        for index in 0..<300 {
            text +=
                (index > 0 ? ",\n" : "") + #"{"id": \#(index), "name": "Zürich \u00e9 \#(index)", "x": {"k": [1, 2]}}"#
        }
        text += "\n]\n"
        let path = try directory.write("chunks.json", text)
        var options = ReadOptions()
        options.chunkSize = 64
        let small = try readFile(path, options: options)
        #expect(small.rows.count == 300)
        #expect(small.rows == (try readFile(path)).rows)
        #expect(small.rows[299] == [.int64(299), .string("Zürich é 299"), .json(#"{"k": [1, 2]}"#)])
        #expect(small.lines[299] == 301)
    }
}
