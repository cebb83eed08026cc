import CLZ4

/// Decompresses lz4 frame files with `LZ4F_decompress`, frame after frame.
final class LZ4Decoder: StreamDecoder {
    private var context: OpaquePointer?
    private(set) var isAtFrameBoundary = true

    init() throws(StreamFailure) {
        let status = LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(status) == 0, context != nil else {
            throw StreamFailure(reason: String(cString: LZ4F_getErrorName(status)))
        }
    }

    deinit {
        LZ4F_freeDecompressionContext(context)
    }

    func decode(
        _ input: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws(StreamFailure) -> (consumed: Int, produced: Int) {
        var consumed = 0
        var produced = 0
        while produced < output.count {
            var sourceSize = input.count - consumed
            var destinationSize = output.count - produced
            let hint = LZ4F_decompress(
                context,
                output.baseAddress?.advanced(by: produced),
                &destinationSize,
                input.baseAddress?.advanced(by: consumed),
                &sourceSize,
                nil
            )
            if LZ4F_isError(hint) != 0 { throw StreamFailure(reason: String(cString: LZ4F_getErrorName(hint))) }
            consumed += sourceSize
            produced += destinationSize
            if sourceSize > 0 || destinationSize > 0 { isAtFrameBoundary = hint == 0 }
            if sourceSize == 0 && destinationSize == 0 { break }
        }
        return (consumed, produced)
    }
}
