import Foundation
import Sluice
import Testing

@testable import SluiceFormats

@Suite("Reading CSV and TSV")
struct CSVReaderTests {
    @Test("quotes, doubled quotes, delimiters and newlines inside quotes; later line numbers stay right")
    func quotedFields() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "q.csv",
            #"""
            name,note
            plain,"with, comma"
            "say ""hi""","two
            lines"
            after,x

            """#
        )
        let result = try readFile(path)
        #expect(
            result.rows == [
                [.string("plain"), .string("with, comma")],
                [.string("say \"hi\""), .string("two\nlines")],
                [.string("after"), .string("x")],
            ]
        )
        #expect(result.lines == [2, 3, 5])
    }

    @Test("CRLF line ends, a BOM, and a last line without a newline")
    func crlfAndBOM() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write(
            "c.csv",
            [0xEF, 0xBB, 0xBF] + Array("id,name\r\n1,a\r\n2,\"b\r\nc\"\r\n3,z".utf8)
        )
        let result = try readFile(path)
        #expect(result.schema.columnNames == ["id", "name"])
        #expect(
            result.rows == [[.int64(1), .string("a")], [.int64(2), .string("b\r\nc")], [.int64(3), .string("z")]]
        )
        #expect(result.lines == [2, 3, 5])
    }

    @Test("an empty field is NULL, a quoted empty field is the empty string")
    func nullVersusEmpty() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("n.csv", "a,b,c\n,\"\",1\nx,,\"\"\n")
        var options = ReadOptions()
        options.schema = Schema(columns: [Column("a", .string), Column("b", .string), Column("c", .int64)])
        let result = try readFile(path, options: options)
        #expect(result.rows == [[.null, .string(""), .int64(1)], [.string("x"), .null, .null]])
    }

    @Test("unicode passes through untouched")
    func unicode() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("u.csv", "name,city\nJosé,Zürich\n株式会社,東京 🗼\n")
        let result = try readFile(path)
        #expect(result.rows == [[.string("José"), .string("Zürich")], [.string("株式会社"), .string("東京 🗼")]])
    }

    @Test("timestamps with more than six fraction digits load, truncated to microseconds")
    func nanosecondTimestamps() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("ts.csv", "at\n2025-08-01T14:30:00.123456789Z\n2025-08-01 14:30:00.5+02:00\n")
        let result = try readFile(path)
        #expect(result.schema.columns == [Column("at", .timestamp)])
        #expect(
            result.rows == [
                [.timestamp(Timestamp("2025-08-01T14:30:00.123456Z")!)],
                [.timestamp(Timestamp("2025-08-01T12:30:00.500000Z")!)],
            ]
        )
    }

    @Test("a custom delimiter and quote")
    func customDialect() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("p.txt", "a;b\n'x;y';'it''s'\n")
        var options = ReadOptions()
        options.format = .csv
        options.delimiter = UInt8(ascii: ";")
        options.quote = UInt8(ascii: "'")
        let result = try readFile(path, options: options)
        #expect(result.rows == [[.string("x;y"), .string("it's")]])
    }

    @Test("TSV: tab delimited, detected from the extension or the first line; quotes still work")
    func tsv() throws {
        let directory = try TemporaryDirectory()
        let text = "symbol\tclose\nAAPL\t1.5000\n\"A\tB\"\t2.2500\n"
        for name in ["t.tsv", "t.data"] {
            let result = try readFile(try directory.write(name, text))
            #expect(result.schema.columns.map(\.type) == [.string, .decimal(precision: 18, scale: 4)])
            #expect(result.rows == [[.string("AAPL"), .dec("1.5000")], [.string("A\tB"), .dec("2.2500")]])
        }
    }

    @Test("without a header, columns are named column_1, column_2, …")
    func noHeader() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("h.csv", "AAPL,10\nMSFT,20\n")
        var options = ReadOptions()
        options.hasHeader = false
        let result = try readFile(path, options: options)
        #expect(result.schema.columnNames == ["column_1", "column_2"])
        #expect(result.rows == [[.string("AAPL"), .int64(10)], [.string("MSFT"), .int64(20)]])
        #expect(result.lines == [1, 2])
    }

    @Test("an empty file is an error saying so")
    func emptyFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("empty.csv", "")
        #expect(readError(path)?.message == "\(path): the file is empty")
    }

    @Test("a header without rows gives zero rows and an all-string schema")
    func headerOnly() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("h.csv", "symbol,date,close\n")
        let result = try readFile(path)
        #expect(result.rows.isEmpty)
        #expect(
            result.schema.columns == [Column("symbol", .string), Column("date", .string), Column("close", .string)]
        )
    }

    @Test("blank lines are skipped")
    func blankLines() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("b.csv", "a,b\n\n1,2\n\r\n3,4\n\n")
        let result = try readFile(path)
        #expect(result.rows == [[.int64(1), .int64(2)], [.int64(3), .int64(4)]])
        #expect(result.lines == [3, 5])
    }

    @Test("batches hold batchSize rows and carry the source path")
    func batching() throws {
        let directory = try TemporaryDirectory()
        var text = "n\n"
        for index in 0..<25 { text += "\(index)\n" }
        let path = try directory.write("n.csv", text)
        var options = ReadOptions()
        options.batchSize = 10
        let schema = try FileSource.schema(of: path, options: options)
        var reader = try FileSource.reader(path: path, schema: schema, options: options)
        var sizes: [Int] = []
        while let batch = try reader.next() {
            sizes.append(batch.count)
            #expect(batch.source == path)
        }
        #expect(sizes == [10, 10, 5])
    }

    @Test("records spanning chunk boundaries read the same with a tiny chunk size")
    func tinyChunks() throws {
        let directory = try TemporaryDirectory()
        var text = "id,text\n"
        for index in 0..<500 { text += "\(index),\"q \"\"\(index)\"\"\r\nZürich\"\r\n" }
        let path = try directory.write("chunks.csv", text)
        var options = ReadOptions()
        options.chunkSize = 64
        let small = try readFile(path, options: options)
        let large = try readFile(path)
        #expect(small.rows.count == 500)
        #expect(small.rows == large.rows)
        #expect(small.lines == large.lines)
        #expect(small.rows[499] == [.int64(499), .string("q \"499\"\r\nZürich")])
        #expect(small.lines[499] == 2 + 499 * 2)
    }
}
