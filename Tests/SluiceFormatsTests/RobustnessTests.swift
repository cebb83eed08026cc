import Foundation
import Sluice
import Testing

@testable import SluiceFormats

@Suite("Robustness: no crash, no hang, no silently short data")
struct RobustnessTests {
    static let cuts: [(Compression, Double)] = [Compression.gzip, .bzip2, .lz4, .zstd].flatMap { compression in
        [0.1, 0.5, 0.9, 1.0].map { (compression, $0) }
    }

    @Test("a compressed file cut anywhere (even one byte short) fails as malformed input", arguments: cuts)
    func truncatedAnywhere(compression: Compression, fraction: Double) throws {
        let directory = try TemporaryDirectory()
        var text = "id,name\n"
        for index in 0..<20_000 { text += "\(index),name \(index)\n" }
        let full = directory.file("full")
        try writeCompressed(Array(text.utf8), to: full, compression)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: full)))
        let keep = fraction == 1.0 ? bytes.count - 1 : Int(Double(bytes.count) * fraction)
        let path = try directory.write("cut.csv", Array(bytes.prefix(keep)))
        var options = ReadOptions()
        options.schema = Schema(columns: [Column("id", .int64), Column("name", .string)])
        #expect(readError(path, options: options)?.code == .malformedInput)
    }

    @Test("one field larger than the window grows it and reads whole")
    func hugeField() throws {
        let directory = try TemporaryDirectory()
        let big = String(repeating: "x,\"y\"\n", count: 400_000)
        let path = try directory.write(
            "big.csv",
            "id,blob\n1,\"" + big.replacingOccurrences(of: "\"", with: "\"\"") + "\"\n2,z\n"
        )
        var options = ReadOptions()
        options.chunkSize = 4096
        let result = try readFile(path, options: options)
        #expect(result.rows == [[.int64(1), .string(big)], [.int64(2), .string("z")]])
        #expect(result.lines == [2, 400_003])
    }

    @Test(
        "mutated CSV and JSON either read or fail with a one-line malformed-input error",
        arguments: FileFormat.allCases
    )
    func mutatedInput(format: FileFormat) throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("seed." + format.fileExtension)
        let schema = RoundTripTests.schema
        let writer = try RecordWriters.open(path: path, schema: schema)
        try writer.write(RecordBatch(schema: schema, rows: RoundTripTests.rows))
        try writer.finish()
        let seed = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var generator = SplitMix64(seed: 42)
        let specials: [UInt8] = Array("\"{}[],:\\\n\r\t0aé".utf8) + [0xFF, 0x00]
        for round in 0..<150 {
            var bytes = seed
            for _ in 0..<(1 + round % 4) {
                let index = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes[index] = specials[Int(generator.next() % UInt64(specials.count))]
                case 1: bytes.remove(at: index)
                default: bytes.insert(specials[Int(generator.next() % UInt64(specials.count))], at: index)
                }
            }
            let mutated = try directory.write("m\(round)." + format.fileExtension, bytes)
            var options = ReadOptions()
            options.format = format
            options.chunkSize = 64
            if let error = readError(mutated, options: options) {
                #expect(error.code == .malformedInput || error.code == .schemaMismatch, "\(error.message)")
                #expect(!error.message.contains("\n"))
                #expect(error.message.hasPrefix(mutated))
            }
        }
    }
}

/// A small deterministic random generator for reproducible mutations.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}
