import CBZip2
import Sluice

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes one bzip2 stream with libbz2 (one per ``ParallelMemberEncoder`` worker, reset between streams).
final class BZip2Encoder: MemberEncoder {
    /// Input bytes per stream when compressing in parallel: exactly one block, `level` × 100,000 − 19 bytes (the
    /// most libbz2 puts in a block before run-length coding shrinks it), so no stream ends in a tiny second block.
    /// Larger streams were measured no smaller (within 0.01 points of ratio) and leave a longer idle tail.
    static func chunkSize(level: Int) -> Int { level * 100_000 - 19 }

    private let stream: UnsafeMutablePointer<bz_stream>
    private let output = UnsafeMutableRawBufferPointer.allocate(byteCount: encoderOutputSize, alignment: 16)
    private let level: Int
    private let allocations = BZip2Allocations()
    private var isFresh = true

    init(level: Int) throws {
        self.level = level
        stream = .allocate(capacity: 1)
        stream.initialize(to: allocations.stream())
        let status = BZ2_bzCompressInit(stream, Int32(level), 0, 0)
        guard status == BZ_OK else {
            // Every stored property is set, so `deinit` runs and frees the stream and the buffer (ending a stream
            // whose start failed is a no-op); freeing them here as well was a double free.
            throw SluiceError(.io, "bzip2: libbz2 could not start (\(status))")
        }
    }

    deinit {
        BZ2_bzCompressEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
        output.deallocate()
    }

    func encode(_ input: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        // BZ_RUN with no input makes no progress, which libbz2 reports as BZ_PARAM_ERROR.
        guard !input.isEmpty else { return }
        try run(input, action: BZ_RUN, emit: emit)
    }

    /// libbz2 has no reset: the stream is ended and started again (its work areas kept by ``BZip2Allocations``).
    func reset() throws {
        guard !isFresh else { return }
        BZ2_bzCompressEnd(stream)
        stream.pointee = allocations.stream()
        let status = BZ2_bzCompressInit(stream, Int32(level), 0, 0)
        guard status == BZ_OK else { throw SluiceError(.io, "bzip2: libbz2 could not restart (\(status))") }
        isFresh = true
    }

    func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try run(UnsafeRawBufferPointer(start: nil, count: 0), action: BZ_FINISH, emit: emit)
    }

    private func run(
        _ input: UnsafeRawBufferPointer,
        action: Int32,
        emit: (UnsafeRawBufferPointer) throws -> Void
    )
        throws
    {
        isFresh = false
        stream.pointee.next_in = UnsafeMutableRawPointer(mutating: input.baseAddress)?
            .assumingMemoryBound(to: CChar.self)
        stream.pointee.avail_in = UInt32(input.count)
        while true {
            stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: CChar.self)
            stream.pointee.avail_out = UInt32(output.count)
            let status = BZ2_bzCompress(stream, action)
            guard status == BZ_RUN_OK || status == BZ_FINISH_OK || status == BZ_STREAM_END else {
                throw SluiceError(.io, "bzip2: compression failed (\(status))")
            }
            let made = output.count - Int(stream.pointee.avail_out)
            if made > 0 { try emit(UnsafeRawBufferPointer(rebasing: output[0..<made])) }
            if status == BZ_STREAM_END { return }
            if action == BZ_RUN && stream.pointee.avail_in == 0 { return }
        }
    }
}

/// Keeps libbz2's work areas (about 7.6 MB at level 9) from one stream to the next. libbz2 has no reset, and
/// allocating them anew for every 900 kB stream cost page faults: 0.3 s of system time for the JSONL sample.
private final class BZip2Allocations {
    /// The size of each block handed out.
    private var sizes: [UnsafeMutableRawPointer: Int] = [:]
    /// Blocks given back, by size.
    private var spare: [Int: [UnsafeMutableRawPointer]] = [:]

    deinit {
        for block in sizes.keys { free(block) }
        for blocks in spare.values { for block in blocks { free(block) } }
    }

    /// A zeroed `bz_stream` whose allocations go through this cache.
    func stream() -> bz_stream {
        var stream = bz_stream()
        stream.opaque = Unmanaged.passUnretained(self).toOpaque()
        stream.bzalloc = { opaque, count, size in
            guard let opaque else { return nil }
            return Unmanaged<BZip2Allocations>.fromOpaque(opaque).takeUnretainedValue()
                .allocate(Int(count) * Int(size))
        }
        stream.bzfree = { opaque, block in
            guard let opaque, let block else { return }
            Unmanaged<BZip2Allocations>.fromOpaque(opaque).takeUnretainedValue().release(block)
        }
        return stream
    }

    private func allocate(_ size: Int) -> UnsafeMutableRawPointer? {
        guard let block = spare[size]?.popLast() ?? malloc(size) else { return nil }
        sizes[block] = size
        return block
    }

    private func release(_ block: UnsafeMutableRawPointer) {
        guard let size = sizes.removeValue(forKey: block) else { return }
        spare[size, default: []].append(block)
    }
}
