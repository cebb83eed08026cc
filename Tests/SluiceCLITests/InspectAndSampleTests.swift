import Foundation
import SluiceTesting
import Testing

@Suite("sluice inspect and sample (the built binary)")
struct InspectAndSampleTests {
    @Test func inspectShowsFormatCompressionSchemaAndRowsOfACompressedFile() throws {
        try withWorkingDirectory { directory in
            try SluiceProcess.run(
                ["sample", "ohlcv", "--rows", "300", "--symbols", "3", "--output", "p.csv.gz"],
                in: directory
            )
            // A misleading name: the bytes say gzip.
            try FileManager.default.moveItem(
                at: directory.appendingPathComponent("p.csv.gz"),
                to: directory.appendingPathComponent("p.csv")
            )
            let result = try SluiceProcess.run(["inspect", "p.csv", "--json"], in: directory)
            #expect(result.status == 0, "\(result.error)")
            let object = try jsonObject(result.output)
            #expect(object["format"] as? String == "csv")
            #expect(object["compression"] as? String == "gzip")
            #expect(object["row_count"] as? Int == 300)
            let columns = try #require(object["columns"] as? [[String: Any]])
            #expect(
                columns.map { $0["name"] as? String } == [
                    "symbol", "date", "open", "high", "low", "close",
                    "adj_close", "volume",
                ]
            )
            #expect(
                columns.map { $0["type"] as? String } == [
                    "string", "date", "decimal(18,4)", "decimal(18,4)",
                    "decimal(18,4)", "decimal(18,4)", "decimal(18,4)",
                    "int64",
                ]
            )
            #expect((object["sample"] as? [Any])?.count == 5)
        }
    }

    @Test func samplesAreDeterministicAndWellFormed() throws {
        try withWorkingDirectory { directory in
            for name in ["a.csv", "b.csv"] {
                #expect(
                    try SluiceProcess.run(
                        ["sample", "ohlcv", "--rows", "1000", "--seed", "7", "--output", name],
                        in: directory
                    ).status == 0
                )
            }
            let a = try Data(contentsOf: directory.appendingPathComponent("a.csv"))
            let b = try Data(contentsOf: directory.appendingPathComponent("b.csv"))
            #expect(a == b)
            let lines = String(decoding: a, as: UTF8.self).split(separator: "\n")
            #expect(lines.count == 1001)
            #expect(lines[0] == "symbol,date,open,high,low,close,adj_close,volume")
            for line in lines.dropFirst() {
                let fields = line.split(separator: ",")
                #expect(fields.count == 8)
                let (open, high, low, close) = (
                    Double(fields[2])!, Double(fields[3])!, Double(fields[4])!,
                    Double(fields[5])!
                )
                #expect(low <= open && open <= high && low <= close && close <= high && low > 0)
                #expect(fields[5].split(separator: ".").last?.count == 4)
            }
            let other = try SluiceProcess.run(["sample", "ohlcv", "--rows", "1000", "--seed", "8"], in: directory)
            #expect(Data(other.output.utf8) != a)
        }
    }

    @Test(arguments: [("zstd", "p.jsonl.zst"), ("lz4", "p.tsv.lz4"), ("bzip2", "p.json.bz2"), ("gzip", "p.csv.gz")])
    func compressedSamplesPassTheSystemTools(tool: String, name: String) throws {
        try withWorkingDirectory { directory in
            #expect(
                try SluiceProcess.run(["sample", "ohlcv", "--rows", "200", "--output", name], in: directory)
                    .status == 0
            )
            let check = try SluiceProcess.runTool(tool, ["-t", name], in: directory)
            #expect(check.status == 0, "\(check.error)")
            let inspect = try jsonObject(try SluiceProcess.run(["inspect", name, "--json"], in: directory).output)
            #expect(inspect["row_count"] as? Int == 200)
        }
    }
}
