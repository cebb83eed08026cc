import Foundation
import Sluice
import Testing

@testable import SluiceFormats

@Suite("Parquet: broken files are one-line errors, never crashes or hangs")
struct ParquetMalformedTests {
    /// A small valid file written with `codec`.
    static func seed(_ codec: ParquetCodec, in directory: TemporaryDirectory) throws -> [UInt8] {
        let path = directory.file("seed.parquet")
        try ParquetFixtures.write(
            ParquetFixtures.rows(60),
            to: path,
            options: ParquetWriteOptions(codec: codec, rowGroupSize: 2048, pageSize: 512),
            batchSize: 10
        )
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Reads `path` to the end and returns the error, if any.
    static func readError(_ path: String) -> SluiceError? {
        sluiceError { _ = try ParquetFixtures.read(path) }
    }

    @Test("a file that is not Parquet says so")
    func notParquet() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("prices.parquet", "symbol,close\nAAPL,1.5\n")
        let error = Self.readError(path)
        #expect(error?.code == .malformedInput)
        #expect(error?.message == "\(path): not a Parquet file (no PAR1 footer)")

        let tiny = try directory.write("tiny.parquet", "PAR1")
        #expect(Self.readError(tiny)?.message.hasPrefix("\(tiny): not a Parquet file") == true)
    }

    @Test("a footer length beyond the file is named")
    func footerLength() throws {
        let directory = try TemporaryDirectory()
        var bytes = try Self.seed(.none, in: directory)
        bytes.replaceSubrange((bytes.count - 8)..<(bytes.count - 4), with: [0xFF, 0xFF, 0xFF, 0x7F])
        let path = try directory.write("long-footer.parquet", bytes)
        #expect(Self.readError(path)?.message == "\(path): footer length 2147483647 is out of range")
    }

    @Test("a truncated data page names the row group and column")
    func truncatedPage() throws {
        let directory = try TemporaryDirectory()
        let bytes = try Self.seed(.none, in: directory)
        let file = try ParquetFile(path: directory.file("seed.parquet"))
        let chunk = file.metadata.rowGroups[1].columns[4]
        let path = try directory.write("short.parquet", truncatingChunk(bytes, chunk))
        let error = Self.readError(path)
        #expect(error?.code == .malformedInput)
        #expect(error?.message == "\(path): row group 2 column 'price': page truncated")
    }

    /// `bytes` with the footer's size of `chunk` shrunk by 3 bytes, so its last page is truncated.
    func truncatingChunk(_ bytes: [UInt8], _ chunk: ParquetColumnMetadata) throws -> [UInt8] {
        let footerLength = Int(
            bytes[(bytes.count - 8)..<(bytes.count - 4)].withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        )
        let footerStart = bytes.count - 8 - footerLength
        var metadata = try Array(bytes[footerStart..<(bytes.count - 8)]).withParquetBytes {
            footer throws(ParquetFailure) in
            try ParquetFileMetadata(decoding: footer)
        }
        for group in metadata.rowGroups.indices {
            for column in metadata.rowGroups[group].columns.indices
            where metadata.rowGroups[group].columns[column].dataPageOffset == chunk.dataPageOffset {
                metadata.rowGroups[group].columns[column].totalCompressedSize -= 3
            }
        }
        let footer = metadata.encoded()
        return Array(bytes[..<footerStart]) + footer
            + withUnsafeBytes(of: UInt32(footer.count).littleEndian) { Array($0) }
            + Array("PAR1".utf8)
    }

    @Test(
        "every truncation fails with a malformed-input error naming the file",
        arguments: [ParquetCodec.none, .snappy]
    )
    func truncations(codec: ParquetCodec) throws {
        let directory = try TemporaryDirectory()
        let bytes = try Self.seed(codec, in: directory)
        for length in stride(from: 0, to: bytes.count, by: 7) {
            let path = try directory.write("cut.parquet", Array(bytes[..<length]))
            let error = Self.readError(path)
            #expect(error?.code == .malformedInput, "cut at \(length)")
            #expect(error?.message.hasPrefix(path + ": ") == true)
            #expect(error?.message.contains("\n") == false)
        }
    }

    @Test("random byte flips either read or fail with a one-line error", arguments: ParquetCodec.allCases)
    func byteFlips(codec: ParquetCodec) throws {
        let directory = try TemporaryDirectory()
        let seed = try Self.seed(codec, in: directory)
        var generator = SplitMix64(seed: 7 &+ UInt64(codec.thriftValue))
        var failures = 0
        for round in 0..<250 {
            var bytes = seed
            for _ in 0..<(1 + round % 3) {
                let index = Int(generator.next() % UInt64(bytes.count))
                bytes[index] ^= UInt8(truncatingIfNeeded: generator.next() | 1)
            }
            let path = try directory.write("flip.parquet", bytes)
            guard let error = Self.readError(path) else { continue }
            failures += 1
            #expect([SluiceError.Code.malformedInput, .schemaMismatch].contains(error.code), "\(error.message)")
            #expect(error.message.hasPrefix(path + ": "), "\(error.message)")
            #expect(!error.message.contains("\n"))
        }
        #expect(failures > 0)
    }
}
