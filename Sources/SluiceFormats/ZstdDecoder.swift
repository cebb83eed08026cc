import CZstd

/// Decompresses zstd files with `ZSTD_decompressStream`, frame after frame.
final class ZstdDecoder: StreamDecoder {
    private let stream: OpaquePointer
    private(set) var isAtFrameBoundary = true

    init() throws(StreamFailure) {
        guard let stream = ZSTD_createDStream() else { throw StreamFailure(reason: "zstd could not start") }
        self.stream = stream
        ZSTD_initDStream(stream)
    }

    deinit {
        ZSTD_freeDStream(stream)
    }

    func decode(
        _ input: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws(StreamFailure) -> (consumed: Int, produced: Int) {
        var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        while outBuffer.pos < outBuffer.size {
            let before = (inBuffer.pos, outBuffer.pos)
            let hint = ZSTD_decompressStream(stream, &outBuffer, &inBuffer)
            if ZSTD_isError(hint) != 0 { throw StreamFailure(reason: String(cString: ZSTD_getErrorName(hint))) }
            let progressed = inBuffer.pos != before.0 || outBuffer.pos != before.1
            if progressed { isAtFrameBoundary = hint == 0 }
            if !progressed || inBuffer.pos == inBuffer.size && outBuffer.pos < outBuffer.size { break }
        }
        return (inBuffer.pos, outBuffer.pos)
    }
}
