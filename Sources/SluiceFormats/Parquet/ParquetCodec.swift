import CLZ4
import CZlib
import CZstd
import Sluice

/// The compression of Parquet pages (each page body compressed on its own).
public enum ParquetCodec: String, Sendable, Hashable, CaseIterable, Codable {
    /// No compression.
    case none
    /// Snappy raw blocks (Sluice's own compressor: fast, modest ratio).
    case snappy
    /// Gzip members (zlib deflate).
    case gzip
    /// Zstandard frames; the default: the smallest files at a speed close to snappy's.
    case zstd
    /// Bare LZ4 blocks (`LZ4_RAW`, codec 7; never the ambiguous codec 5).
    case lz4_raw

    /// The codec a file name names in Spark's convention, `NAME.CODEC.parquet` (`prices.snappy.parquet`,
    /// `prices.gz.parquet`, `prices.zstd.parquet`, `prices.lz4raw.parquet`, `prices.uncompressed.parquet`), or `nil`.
    public init?(fileName: String) {
        let parts = fileName.lowercased().split(separator: "/").last?.split(separator: ".") ?? []
        guard parts.count >= 3, parts[parts.count - 1] == "parquet" else { return nil }
        switch parts[parts.count - 2] {
        case "snappy": self = .snappy
        case "gz", "gzip": self = .gzip
        case "zstd", "zst": self = .zstd
        case "lz4raw", "lz4_raw", "lz4": self = .lz4_raw
        case "uncompressed", "none": self = .none
        default: return nil
        }
    }

    /// The page codec closest to a whole-file compression (for targets configured with one): `none`, `gzip`,
    /// `zstd`, and `lz4` as ``lz4_raw``; `nil` for bzip2, which Parquet has no codec for.
    public init?(compression: Compression) {
        switch compression {
        case .none: self = .none
        case .gzip: self = .gzip
        case .zstd: self = .zstd
        case .lz4: self = .lz4_raw
        case .bzip2: return nil
        }
    }

    /// The `CompressionCodec` number in `parquet.thrift`.
    var thriftValue: Int32 {
        switch self {
        case .none: return 0
        case .snappy: return 1
        case .gzip: return 2
        case .zstd: return 6
        case .lz4_raw: return 7
        }
    }

    /// The codec a `CompressionCodec` number names, if Sluice reads it.
    init?(thriftValue: Int32) {
        switch thriftValue {
        case 0: self = .none
        case 1: self = .snappy
        case 2: self = .gzip
        case 6: self = .zstd
        case 7: self = .lz4_raw
        default: return nil
        }
    }

    /// The name `parquet.thrift` gives a codec number, for messages and `inspect`.
    static func name(ofThriftValue value: Int32) -> String {
        if let codec = ParquetCodec(thriftValue: value) { return codec == .none ? "uncompressed" : codec.rawValue }
        switch value {
        case 3: return "lzo"
        case 4: return "brotli"
        case 5: return "lz4 (hadoop)"
        default: return "codec \(value)"
        }
    }

    /// The level used when none is given: zstd 1 (on the price benchmark both smaller and faster than 3), gzip 6;
    /// the others have no levels.
    public var defaultLevel: Int {
        switch self {
        case .zstd: return 1
        case .gzip: return 6
        case .none, .snappy, .lz4_raw: return 0
        }
    }

    /// `input` compressed, appended to `output`.
    func compress(_ input: UnsafeRawBufferPointer, level: Int, into output: inout [UInt8]) throws {
        switch self {
        case .none: output.append(contentsOf: input)
        case .snappy: Snappy.compress(input, into: &output)
        case .gzip: try ParquetCodec.deflate(input, level: level, into: &output)
        case .zstd: try ParquetCodec.zstdCompress(input, level: level, into: &output)
        case .lz4_raw: try ParquetCodec.lz4Compress(input, into: &output)
        }
    }

    /// `input` decompressed into exactly `output.count` bytes.
    func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws(ParquetFailure)
    {
        switch self {
        case .none:
            guard input.count == output.count else { throw ParquetFailure("page size does not match its header") }
            if let base = input.baseAddress, input.count > 0 {
                output.baseAddress!.copyMemory(from: base, byteCount: input.count)
            }
        case .snappy: try Snappy.decompress(input, into: output)
        case .gzip: try ParquetCodec.inflate(input, into: output)
        case .zstd: try ParquetCodec.zstdDecompress(input, into: output)
        case .lz4_raw: try ParquetCodec.lz4Decompress(input, into: output)
        }
    }
}

extension ParquetCodec {
    private static func grow(
        _ output: inout [UInt8],
        by bound: Int,
        _ body: (UnsafeMutableRawBufferPointer) throws -> Int
    ) rethrows {
        let start = output.count
        output.append(contentsOf: repeatElement(0, count: bound))
        let made = try output.withUnsafeMutableBytes { buffer in
            try body(UnsafeMutableRawBufferPointer(rebasing: buffer[start...]))
        }
        output.removeLast(bound - made)
    }

    fileprivate static func zstdCompress(_ input: UnsafeRawBufferPointer, level: Int, into output: inout [UInt8]) throws
    {
        try grow(&output, by: ZSTD_compressBound(input.count)) { buffer in
            let made = ZSTD_compress(buffer.baseAddress, buffer.count, input.baseAddress, input.count, Int32(level))
            guard ZSTD_isError(made) == 0 else {
                throw SluiceError(.io, "zstd: compression failed (\(String(cString: ZSTD_getErrorName(made))))")
            }
            return made
        }
    }

    fileprivate static func zstdDecompress(
        _ input: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws(ParquetFailure) {
        let made = ZSTD_decompress(output.baseAddress, output.count, input.baseAddress, input.count)
        guard ZSTD_isError(made) == 0, made == output.count else {
            throw ParquetFailure("corrupt zstd page")
        }
    }

    fileprivate static func lz4Compress(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) throws {
        guard input.count <= Int(Int32.max) - 1024 else { throw SluiceError(.io, "lz4: page too large") }
        try grow(&output, by: Int(LZ4_compressBound(Int32(input.count)))) { buffer in
            let made = LZ4_compress_default(
                input.baseAddress?.assumingMemoryBound(to: CChar.self),
                buffer.baseAddress?.assumingMemoryBound(to: CChar.self),
                Int32(input.count),
                Int32(buffer.count)
            )
            guard made > 0 || input.isEmpty else { throw SluiceError(.io, "lz4: compression failed") }
            return Int(made)
        }
    }

    fileprivate static func lz4Decompress(
        _ input: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws(ParquetFailure) {
        guard input.count < Int(Int32.max), output.count < Int(Int32.max) else {
            throw ParquetFailure("page too large")
        }
        if output.isEmpty { return }
        let made = LZ4_decompress_safe(
            input.baseAddress?.assumingMemoryBound(to: CChar.self),
            output.baseAddress?.assumingMemoryBound(to: CChar.self),
            Int32(input.count),
            Int32(output.count)
        )
        guard made == output.count else { throw ParquetFailure("corrupt lz4 page") }
    }

    fileprivate static func deflate(_ input: UnsafeRawBufferPointer, level: Int, into output: inout [UInt8]) throws {
        var stream = z_stream()
        let status = deflateInit2_(
            &stream,
            Int32(level),
            Z_DEFLATED,
            15 + 16,
            8,
            Z_DEFAULT_STRATEGY,
            zlibVersion(),
            Int32(MemoryLayout<z_stream>.size)
        )
        guard status == Z_OK else { throw SluiceError(.io, "gzip: zlib could not start (\(status))") }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(input.count))) + 32
        try grow(&output, by: bound) { buffer in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = UInt32(input.count)
            stream.next_out = buffer.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = UInt32(buffer.count)
            let result = CZlib.deflate(&stream, Z_FINISH)
            guard result == Z_STREAM_END else { throw SluiceError(.io, "gzip: deflate failed (\(result))") }
            return buffer.count - Int(stream.avail_out)
        }
    }

    fileprivate static func inflate(
        _ input: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws(ParquetFailure) {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ParquetFailure("gzip: zlib could not start")
        }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = UInt32(input.count)
        stream.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = UInt32(output.count)
        let result = CZlib.inflate(&stream, Z_FINISH)
        guard result == Z_STREAM_END, stream.avail_out == 0 else { throw ParquetFailure("corrupt gzip page") }
    }
}
