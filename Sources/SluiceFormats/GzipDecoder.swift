import CZlib

/// Inflates gzip files with zlib, member after member: concatenated members (`cat a.gz b.gz`) are all read.
final class GzipDecoder: StreamDecoder {
    private let stream: UnsafeMutablePointer<z_stream>
    private var inMember = false

    init() throws(StreamFailure) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 window bits + 16: gzip header and trailer.
        let status = inflateInit2_(stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw StreamFailure(reason: "zlib could not start (\(status))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    var isAtFrameBoundary: Bool { !inMember }

    func decode(
        _ input: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws(StreamFailure) -> (consumed: Int, produced: Int) {
        var consumed = 0
        var produced = 0
        while produced < output.count {
            if consumed < input.count { inMember = true }
            guard inMember else { break }
            stream.pointee.next_in = UnsafeMutableRawPointer(mutating: input.baseAddress?.advanced(by: consumed))?
                .assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_in = UInt32(input.count - consumed)
            stream.pointee.next_out = output.baseAddress?.advanced(by: produced).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = UInt32(output.count - produced)
            let status = inflate(stream, Z_NO_FLUSH)
            let used = input.count - consumed - Int(stream.pointee.avail_in)
            let made = output.count - produced - Int(stream.pointee.avail_out)
            consumed += used
            produced += made
            switch status {
            case Z_STREAM_END:
                inMember = false
                inflateReset(stream)
            case Z_OK:
                if used == 0 && made == 0 { return (consumed, produced) }
            case Z_BUF_ERROR:
                return (consumed, produced)
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "error \(status)"
                throw StreamFailure(reason: message)
            }
        }
        return (consumed, produced)
    }
}
