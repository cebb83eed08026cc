// Sluice's benchmark helper (release build only; driven by Benchmarks/run.sh, which runs the peers).
//
//   SluiceBenchmarks parse FILE            parse FILE into batches on one core; print rows/s and MB/s
//   SluiceBenchmarks make-upsert IN OUT    write OUT: IN's second half with close changed, plus as many new rows
//   SluiceBenchmarks convert IN OUT [LEVEL]  read IN, write OUT (format and compression from OUT's extensions);
//                                            print rows and seconds
import Foundation
import Sluice
import SluiceFormats

let arguments = CommandLine.arguments.dropFirst()

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("SluiceBenchmarks: \(message)\n".utf8))
    exit(2)
}

func parse(_ path: String) async throws {
    let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.doubleValue ?? 0
    var best = Double.infinity
    var rows = 0
    for _ in 0..<3 {
        let start = Date()
        let opened = try FileSource.open(paths: [path], options: ReadOptions())
        rows = 0
        for try await batch in opened.stream { rows += batch.count }
        best = min(best, Date().timeIntervalSince(start))
    }
    let rowsPerSecond = Double(rows) / best
    let megabytesPerSecond = size / 1_048_576 / best
    print(
        "parse_rows=\(rows) parse_seconds=\(best) parse_rows_per_second=\(Int(rowsPerSecond)) "
            + "parse_mb_per_second=\(Int(megabytesPerSecond))"
    )
}

func makeUpsert(_ input: String, _ output: String) throws {
    let text = try String(contentsOfFile: input, encoding: .utf8)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
    let header = lines.removeFirst()
    let half = lines.count / 2
    var out = String(header) + "\n"
    out.reserveCapacity(text.utf8.count)
    for line in lines[half...] {
        var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        // close + 0.0001: still within [low, high] is not needed for an upsert benchmark (no validators).
        if let close = ExactDecimal(fields[5]) {
            fields[5] = ExactDecimal(significand: close.significand + 1, scale: close.scale).description
        }
        out += fields.joined(separator: ",") + "\n"
    }
    for line in lines[half...] {
        var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        fields[0] += "N"
        out += fields.joined(separator: ",") + "\n"
    }
    try out.write(toFile: output, atomically: true, encoding: .utf8)
}

func convert(_ input: String, _ output: String, level: Int?) async throws {
    let start = Date()
    let opened = try FileSource.open(paths: [input], options: ReadOptions())
    let writer = try RecordWriters.open(path: output, schema: opened.schema, level: level)
    var rows = 0
    for try await batch in opened.stream {
        try writer.write(batch)
        rows += batch.count
    }
    try writer.finish()
    print("convert_rows=\(rows) convert_seconds=\(Date().timeIntervalSince(start))")
}

switch arguments.first {
case "parse":
    guard arguments.count == 2 else { fail("usage: parse FILE") }
    try await parse(arguments[arguments.startIndex + 1])
case "make-upsert":
    guard arguments.count == 3 else { fail("usage: make-upsert IN OUT") }
    try makeUpsert(arguments[arguments.startIndex + 1], arguments[arguments.startIndex + 2])
case "convert":
    guard arguments.count == 3 || arguments.count == 4 else { fail("usage: convert IN OUT [LEVEL]") }
    let level = arguments.count == 4 ? Int(arguments[arguments.startIndex + 3]) : nil
    try await convert(arguments[arguments.startIndex + 1], arguments[arguments.startIndex + 2], level: level)
default:
    fail("usage: parse FILE | make-upsert IN OUT | convert IN OUT [LEVEL]")
}
