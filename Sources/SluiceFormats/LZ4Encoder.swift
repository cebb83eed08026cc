import CLZ4
import Sluice

/// Writes one lz4 frame (with a content checksum) with the `LZ4F_compress*` API (one per
/// ``ParallelMemberEncoder`` worker, a new frame after each reset).
final class LZ4Encoder: MemberEncoder {
    /// Input bytes per frame when compressing in parallel: 1 MiB, sixteen times lz4's 64 KiB window (a frame costs
    /// 15 bytes of header, end mark and checksum).
    static let chunkSize = 1 << 20

    private var context: OpaquePointer?
    private var preferences = LZ4F_preferences_t()
    private var output: UnsafeMutableRawBufferPointer
    private var started = false
    /// Input is fed in slices of this size so the output bound stays small.
    private let sliceSize = 64 * 1024

    init(level: Int) throws {
        let status = LZ4F_createCompressionContext(&context, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(status) == 0 else {
            throw SluiceError(.io, "lz4: \(String(cString: LZ4F_getErrorName(status)))")
        }
        preferences.compressionLevel = Int32(level)
        preferences.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled
        let bound = max(LZ4F_compressBound(sliceSize, &preferences), LZ4F_HEADER_SIZE_MAX_VALUE) + 64
        output = .allocate(byteCount: bound, alignment: 16)
    }

    deinit {
        LZ4F_freeCompressionContext(context)
        output.deallocate()
    }

    func encode(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try begin(emit: emit)
        var offset = 0
        while offset < input.count {
            let count = min(sliceSize, input.count - offset)
            let made = LZ4F_compressUpdate(
                context,
                output.baseAddress,
                output.count,
                input.baseAddress! + offset,
                count,
                nil
            )
            try check(made)
            if made > 0 { try emit(UnsafeRawBufferPointer(rebasing: output[0..<made])) }
            offset += count
        }
    }

    func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try begin(emit: emit)
        let made = LZ4F_compressEnd(context, output.baseAddress, output.count, nil)
        try check(made)
        if made > 0 { try emit(UnsafeRawBufferPointer(rebasing: output[0..<made])) }
    }

    /// The next ``encode(_:emit:)`` or ``finish(emit:)`` begins a new frame, in a new context: a reused one is only
    /// fast-reset by `LZ4F_compressBegin` and can compress the same chunk to different (valid) bytes, and a file's
    /// bytes should not depend on which worker compressed which chunk.
    func reset() throws {
        guard started else { return }
        started = false
        LZ4F_freeCompressionContext(context)
        context = nil
        let status = LZ4F_createCompressionContext(&context, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(status) == 0 else {
            throw SluiceError(.io, "lz4: \(String(cString: LZ4F_getErrorName(status)))")
        }
    }

    private func begin(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard !started else { return }
        started = true
        let made = LZ4F_compressBegin(context, output.baseAddress, output.count, &preferences)
        try check(made)
        try emit(UnsafeRawBufferPointer(rebasing: output[0..<made]))
    }

    private func check(_ code: Int) throws {
        if LZ4F_isError(code) != 0 {
            throw SluiceError(.io, "lz4: compression failed (\(String(cString: LZ4F_getErrorName(code))))")
        }
    }
}

/// `LZ4F_HEADER_SIZE_MAX` (a macro Swift does not import).
private let LZ4F_HEADER_SIZE_MAX_VALUE = 19
