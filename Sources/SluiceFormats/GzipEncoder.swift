import CZlib
import Sluice

/// Writes one gzip member with zlib's deflate.
final class GzipEncoder: StreamEncoder {
    private let stream: UnsafeMutablePointer<z_stream>
    private let output = UnsafeMutableRawBufferPointer.allocate(byteCount: encoderOutputSize, alignment: 16)

    init(level: Int) throws {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = deflateInit2_(
            stream,
            Int32(level),
            Z_DEFLATED,
            15 + 16,
            8,
            Z_DEFAULT_STRATEGY,
            zlibVersion(),
            Int32(MemoryLayout<z_stream>.size)
        )
        guard status == Z_OK else {
            stream.deallocate()
            output.deallocate()
            throw SluiceError(.io, "gzip: zlib could not start (\(status))")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    func encode(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try run(input, flush: Z_NO_FLUSH, emit: emit)
    }

    func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try run(UnsafeRawBufferPointer(start: nil, count: 0), flush: Z_FINISH, emit: emit)
    }

    private func run(
        _ input: UnsafeRawBufferPointer,
        flush: Int32,
        emit: (UnsafeRawBufferPointer) throws -> Void
    )
        throws
    {
        stream.pointee.next_in = UnsafeMutableRawPointer(mutating: input.baseAddress)?
            .assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_in = UInt32(input.count)
        while true {
            stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = UInt32(output.count)
            let status = deflate(stream, flush)
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw SluiceError(.io, "gzip: deflate failed (\(status))")
            }
            let made = output.count - Int(stream.pointee.avail_out)
            if made > 0 { try emit(UnsafeRawBufferPointer(rebasing: output[0..<made])) }
            if status == Z_STREAM_END { return }
            if flush != Z_FINISH && stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return }
        }
    }
}
