import CBZip2

/// Decompresses bzip2 files with libbz2, stream after stream: concatenated streams are all read.
final class BZip2Decoder: StreamDecoder {
    private let stream: UnsafeMutablePointer<bz_stream>
    private var inStream = false

    init() throws(StreamFailure) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: bz_stream())
    }

    deinit {
        if inStream { BZ2_bzDecompressEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    var isAtFrameBoundary: Bool { !inStream }

    func decode(
        _ input: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws(StreamFailure) -> (consumed: Int, produced: Int) {
        var consumed = 0
        var produced = 0
        while produced < output.count {
            if !inStream {
                guard consumed < input.count else { break }
                stream.pointee = bz_stream()
                let status = BZ2_bzDecompressInit(stream, 0, 0)
                guard status == BZ_OK else { throw StreamFailure(reason: "libbz2 could not start (\(status))") }
                inStream = true
            }
            stream.pointee.next_in = UnsafeMutableRawPointer(mutating: input.baseAddress?.advanced(by: consumed))?
                .assumingMemoryBound(to: CChar.self)
            stream.pointee.avail_in = UInt32(input.count - consumed)
            stream.pointee.next_out = output.baseAddress?.advanced(by: produced).assumingMemoryBound(to: CChar.self)
            stream.pointee.avail_out = UInt32(output.count - produced)
            let status = BZ2_bzDecompress(stream)
            let used = input.count - consumed - Int(stream.pointee.avail_in)
            let made = output.count - produced - Int(stream.pointee.avail_out)
            consumed += used
            produced += made
            switch status {
            case BZ_STREAM_END:
                BZ2_bzDecompressEnd(stream)
                inStream = false
            case BZ_OK:
                if used == 0 && made == 0 { return (consumed, produced) }
            default:
                throw StreamFailure(reason: BZip2Decoder.describe(status))
            }
        }
        return (consumed, produced)
    }

    private static func describe(_ status: Int32) -> String {
        switch status {
        case BZ_DATA_ERROR: return "data integrity error"
        case BZ_DATA_ERROR_MAGIC: return "bad stream header"
        case BZ_MEM_ERROR: return "out of memory"
        default: return "error \(status)"
        }
    }
}
