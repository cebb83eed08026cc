/// Why a compressed stream could not be decoded: the codec's own reason (`invalid block type`).
struct StreamFailure: Error {
    var reason: String
}

/// A streaming decompressor: compressed bytes in, decompressed bytes out, one call at a time.
///
/// Implementations keep their C state at a fixed address (zlib and libbz2 check that) and free it in `deinit`.
protocol StreamDecoder: AnyObject {
    /// Decodes from `input` into `output`; returns how many bytes of each were used. Called with empty input to
    /// flush output the codec still holds.
    func decode(
        _ input: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws(StreamFailure) -> (consumed: Int, produced: Int)

    /// Whether all input so far ended exactly at the end of a member or frame (so the end of the file is fine).
    var isAtFrameBoundary: Bool { get }
}

extension Compression {
    /// A decoder for this compression, or `nil` for ``none``.
    func makeDecoder() throws(StreamFailure) -> (any StreamDecoder)? {
        switch self {
        case .none: return nil
        case .gzip: return try GzipDecoder()
        case .bzip2: return try BZip2Decoder()
        case .lz4: return try LZ4Decoder()
        case .zstd: return try ZstdDecoder()
        }
    }
}
