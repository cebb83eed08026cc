import CZstd
import Sluice

/// Writes one zstd frame (with a content checksum) with `ZSTD_compressStream2` (one per
/// ``ParallelMemberEncoder`` worker, a new frame after each reset).
///
/// libzstd's own multithreading (`ZSTD_c_nbWorkers`; Debian's libzstd has it) was measured and not used:
/// converting the CSV sample peaked at 76 MB (one libzstd worker) or 89 MB (two), against 58 MB with independent
/// 4 MiB frames on our workers (35 MB single-threaded), which also behave like gzip, bzip2 and lz4.
final class ZstdEncoder: MemberEncoder {
    /// Input bytes per frame when compressing in parallel: 4 MiB, twice the 2 MiB window of the default level 3,
    /// so cutting costs little ratio.
    static let chunkSize = 4 << 20

    private let context: OpaquePointer
    private let output = UnsafeMutableRawBufferPointer.allocate(byteCount: encoderOutputSize, alignment: 16)

    init(level: Int) throws {
        guard let context = ZSTD_createCCtx() else {
            output.deallocate()
            throw SluiceError(.io, "zstd: could not start")
        }
        self.context = context
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, Int32(level))
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
    }

    deinit {
        ZSTD_freeCCtx(context)
        output.deallocate()
    }

    func encode(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try run(input, directive: ZSTD_e_continue, emit: emit)
    }

    func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try run(UnsafeRawBufferPointer(start: nil, count: 0), directive: ZSTD_e_end, emit: emit)
    }

    /// Drops any frame in progress; the parameters stay.
    func reset() throws {
        let status = ZSTD_CCtx_reset(context, ZSTD_reset_session_only)
        if ZSTD_isError(status) != 0 {
            throw SluiceError(.io, "zstd: could not restart (\(String(cString: ZSTD_getErrorName(status))))")
        }
    }

    private func run(
        _ input: UnsafeRawBufferPointer,
        directive: ZSTD_EndDirective,
        emit: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while true {
            var outBuffer = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
            let remaining = ZSTD_compressStream2(context, &outBuffer, &inBuffer, directive)
            if ZSTD_isError(remaining) != 0 {
                throw SluiceError(.io, "zstd: compression failed (\(String(cString: ZSTD_getErrorName(remaining))))")
            }
            if outBuffer.pos > 0 { try emit(UnsafeRawBufferPointer(rebasing: output[0..<outBuffer.pos])) }
            if directive == ZSTD_e_end {
                if remaining == 0 { return }
            } else if inBuffer.pos == inBuffer.size {
                return
            }
        }
    }
}
