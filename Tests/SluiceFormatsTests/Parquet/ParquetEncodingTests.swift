import Foundation
import Sluice
import Testing

@testable import SluiceFormats

@Suite("Parquet building blocks: Snappy, the RLE hybrid, Thrift, decimal widths")
struct ParquetEncodingTests {
    static let samples: [[UInt8]] = [
        [],
        [42],
        Array("abcabcabcabcabcabcabcabcabcabc".utf8),
        Array(repeating: 7, count: 100_000),
        (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) },
        Array(String(repeating: "AAPL,2025-08-01,123.4500,Zürich ✓\n", count: 5_000).utf8),
    ]

    @Test("Snappy round-trips and compresses repetition", arguments: 0..<6)
    func snappyRoundTrip(sample: Int) throws {
        let input = Self.samples[sample]
        var compressed: [UInt8] = []
        input.withUnsafeBytes { Snappy.compress($0, into: &compressed) }
        var output = [UInt8](repeating: 0, count: input.count)
        try compressed.withParquetBytes { source throws(ParquetFailure) in
            try output.withMutableParquetBytes { target throws(ParquetFailure) in
                try Snappy.decompress(source, into: target)
            }
        }
        #expect(output == input)
        if sample == 3 || sample == 5 { #expect(compressed.count < input.count / 5) }
    }

    @Test("corrupt Snappy is an error, not a trap")
    func snappyCorrupt() {
        var generator = SplitMix64(seed: 3)
        var compressed: [UInt8] = []
        Self.samples[5].withUnsafeBytes { Snappy.compress($0, into: &compressed) }
        for _ in 0..<300 {
            var bytes = compressed
            bytes[Int(generator.next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: generator.next() | 1)
            bytes.removeLast(Int(generator.next() % 3))
            var output = [UInt8](repeating: 0, count: Self.samples[5].count)
            _ = try? bytes.withParquetBytes { source throws(ParquetFailure) in
                try output.withMutableParquetBytes { target throws(ParquetFailure) in
                    try Snappy.decompress(source, into: target)
                }
            }
        }
    }

    @Test(
        "the RLE / bit-packed hybrid round-trips runs and noise at every width",
        arguments: [1, 2, 3, 7, 8, 13, 20, 32]
    )
    func hybridRoundTrip(bitWidth: Int) throws {
        var generator = SplitMix64(seed: UInt64(bitWidth))
        let limit = bitWidth == 32 ? UInt64(UInt32.max) : (UInt64(1) << UInt64(bitWidth)) - 1
        var values: [UInt32] = []
        for block in 0..<200 {
            let count = Int(generator.next() % 30) + 1
            if block % 2 == 0 {
                values += repeatElement(UInt32(generator.next() % (limit + 1)), count: count)
            } else {
                for _ in 0..<count { values.append(UInt32(generator.next() % (limit + 1))) }
            }
        }
        var encoded: [UInt8] = []
        values.withUnsafeBufferPointer { HybridEncoding.encode($0, bitWidth: bitWidth, into: &encoded) }
        var decoded: [UInt32] = []
        try encoded.withParquetBytes { bytes throws(ParquetFailure) in
            try HybridEncoding.decode(bytes, count: values.count, bitWidth: bitWidth) { decoded.append($0) }
        }
        #expect(decoded == values)
        #expect(throws: ParquetFailure.self) {
            try Array(encoded.prefix(encoded.count / 2)).withParquetBytes { bytes throws(ParquetFailure) in
                try HybridEncoding.decode(bytes, count: values.count, bitWidth: bitWidth) { _ in }
            }
        }
    }

    @Test("Thrift compact: nested structs restore the outer field ids; long lists and big ids work")
    func thrift() throws {
        var writer = ThriftCompactWriter()
        writer.i32(1, -5)
        writer.beginStruct(2)
        writer.i64(1, Int64.min)
        writer.endStruct()
        writer.listHeader(3, .i32, count: 20)
        for value in 0..<20 { writer.i32Element(Int32(value)) }
        writer.string(40, "ü")
        writer.finish()
        var seen: [String] = []
        try writer.bytes.withParquetBytes { bytes throws(ParquetFailure) in
            var reader = ThriftCompactReader(bytes)
            while let field = try reader.nextField() {
                switch field.id {
                case 1: seen.append("1=\(try reader.i32())")
                case 2:
                    try reader.beginStruct()
                    while let inner = try reader.nextField() { seen.append("2.\(inner.id)=\(try reader.i64())") }
                    reader.endStruct()
                case 3:
                    seen.append("3=\(try reader.valueList { reader throws(ParquetFailure) in try reader.i32() }.count)")
                default: seen.append("\(field.id)=\(try reader.string())")
                }
            }
        }
        #expect(seen == ["1=-5", "2.1=\(Int64.min)", "3=20", "40=ü"])
    }

    @Test("decimal widths are the smallest two's complement for the precision")
    func decimalWidths() {
        let widths = [1, 2, 3, 4, 9, 10, 18, 19, 28, 29, 38].map { ParquetSchemaMapping.decimalWidth(precision: $0) }
        #expect(widths == [1, 1, 2, 2, 4, 5, 8, 9, 12, 13, 16])
    }
}
