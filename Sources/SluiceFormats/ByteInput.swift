import Sluice

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The decompressed bytes of one file, read in large chunks with constant memory.
///
/// The compression is detected from the file's first bytes (not its name) unless given. Compressed bytes read
/// are added to a ``Sluice/ByteCounter`` whose total is the file's size, for progress. A truncated or corrupt stream is
/// a ``Sluice/SluiceError`` with code `malformedInput` naming the file, how far it got, and ``lineHint``: never short
/// data, a crash or a hang.
public final class ByteInput {
    /// The file being read.
    public let path: String
    /// The compression of the file.
    public let compression: Compression
    /// Counts compressed bytes read; its total is the file's size.
    public let byteCounter: ByteCounter
    /// The line the reader above has reached, named in errors about corrupt input (0 = do not name one).
    public var lineHint = 0

    private let file: PosixFile
    private let decoder: (any StreamDecoder)?
    private let pending: UnsafeMutableRawBufferPointer
    private var pendingStart = 0
    private var pendingEnd = 0
    private var fileAtEnd = false
    private var consumedTotal = 0
    private var isClosed = false
    /// What is wrong with the compressed stream, once found: every later read fails with it again, naming the line
    /// the reader has reached by then (``ByteWindow`` hands out the bytes before the failure first).
    private var streamFailure: String?

    /// Whether the compressed stream was found truncated or corrupt; every read fails from then on.
    var hasFailed: Bool { streamFailure != nil }

    /// Opens `path`. With `compression` `nil` it is detected from the magic bytes.
    ///
    /// - Parameters:
    ///   - chunkSize: how many bytes each read of the file asks for (default 1 MiB).
    ///   - addsSizeToTotal: whether the file's size is added to `byteCounter`'s total (default `true`; `false`
    ///     when the caller added the sizes of all its files up front).
    public init(
        path: String,
        compression: Compression? = nil,
        byteCounter: ByteCounter = ByteCounter(),
        chunkSize: Int = 1 << 20,
        addsSizeToTotal: Bool = true
    ) throws {
        self.path = path
        self.byteCounter = byteCounter
        file = try PosixFile.openForReading(path)
        if addsSizeToTotal, let size = file.size() { byteCounter.addTotal(size) }
        pending = .allocate(byteCount: max(chunkSize, 64), alignment: 16)
        do {
            try Self.fill(
                file: file,
                buffer: pending,
                from: 0,
                end: &pendingEnd,
                atEnd: &fileAtEnd,
                counter: byteCounter
            )
            let detected =
                compression
                ?? Compression.detect(magic: UnsafeRawBufferPointer(rebasing: pending[0..<pendingEnd]))
            self.compression = detected
            decoder = try detected.makeDecoder()
        } catch let failure as StreamFailure {
            file.close()
            pending.deallocate()
            throw SluiceError(.io, "\(path): \(failure.reason)")
        } catch {
            file.close()
            pending.deallocate()
            throw error
        }
    }

    /// Bytes already in memory, read as if they were a plain file named `name` (values read back from a cache,
    /// decoded by the same parsers as files).
    public init(bytes: [UInt8], name: String) throws {
        path = name
        byteCounter = ByteCounter()
        compression = .none
        decoder = nil
        file = try PosixFile.openForReading("/dev/null")
        pending = .allocate(byteCount: max(bytes.count, 64), alignment: 16)
        bytes.withUnsafeBytes { pending.copyMemory(from: $0) }
        pendingEnd = bytes.count
        fileAtEnd = true
    }

    deinit {
        close()
        pending.deallocate()
    }

    /// Closes the file. Reading after closing returns nothing.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        file.close()
    }

    /// Reads decompressed bytes into `buffer`; returns how many, 0 only at the end of the input.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`malformedInput`) for a truncated or corrupt stream, (`io`) for a read error.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !isClosed, buffer.count > 0 else { return 0 }
        guard let decoder else { return try readPlain(into: buffer) }
        if let streamFailure { throw failed(streamFailure) }
        while true {
            if pendingStart == pendingEnd && !fileAtEnd { try refill() }
            let input = UnsafeRawBufferPointer(rebasing: pending[pendingStart..<pendingEnd])
            let result: (consumed: Int, produced: Int)
            do {
                result = try decoder.decode(input, into: buffer)
            } catch {
                streamFailure = "corrupt \(compression.rawValue) stream (\(error.reason))"
                throw failed(streamFailure ?? "")
            }
            pendingStart += result.consumed
            consumedTotal += result.consumed
            if result.produced > 0 { return result.produced }
            if result.consumed > 0 { continue }
            if fileAtEnd {
                if pendingStart == pendingEnd && decoder.isAtFrameBoundary { return 0 }
                streamFailure = Self.truncated
                throw failed(Self.truncated)
            }
            try refill()
        }
    }

    private func readPlain(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if pendingStart < pendingEnd {
            let count = min(buffer.count, pendingEnd - pendingStart)
            buffer.baseAddress?.copyMemory(from: pending.baseAddress! + pendingStart, byteCount: count)
            pendingStart += count
            return count
        }
        guard !fileAtEnd else { return 0 }
        let count = try file.read(into: buffer)
        byteCounter.add(count)
        if count == 0 { fileAtEnd = true }
        return count
    }

    /// Moves unconsumed compressed bytes to the front and reads more after them.
    private func refill() throws {
        let remaining = pendingEnd - pendingStart
        if pendingStart > 0 && remaining > 0 {
            memmove(pending.baseAddress!, pending.baseAddress! + pendingStart, remaining)
        }
        pendingStart = 0
        pendingEnd = remaining
        guard pendingEnd < pending.count else { return }
        try Self.fill(
            file: file,
            buffer: pending,
            from: pendingEnd,
            end: &pendingEnd,
            atEnd: &fileAtEnd,
            counter: byteCounter
        )
    }

    private static func fill(
        file: PosixFile,
        buffer: UnsafeMutableRawBufferPointer,
        from start: Int,
        end: inout Int,
        atEnd: inout Bool,
        counter: ByteCounter
    ) throws {
        var position = start
        while position < buffer.count {
            let count = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[position...]))
            if count == 0 {
                atEnd = true
                break
            }
            counter.add(count)
            position += count
        }
        end = position
    }

    /// Marks a truncated stream in ``streamFailure``.
    private static let truncated = "truncated"

    /// The error for `failure`, naming the line the reader has reached:
    /// `PATH: line 812: the gzip stream ends early, after 811 complete lines (truncated file; 14852 bytes of input)`
    /// or `PATH: corrupt gzip stream (REASON) (after 14852 bytes of input, at line 812)`.
    private func failed(_ failure: String) -> SluiceError {
        guard failure == Self.truncated else {
            let line = lineHint > 0 ? ", at line \(lineHint)" : ""
            return SluiceError(.malformedInput, "\(path): \(failure) (after \(consumedTotal) bytes of input\(line))")
        }
        let line = lineHint > 0 ? "line \(lineHint): " : ""
        let complete = lineHint > 1 ? ", after \(lineHint - 1) complete line\(lineHint == 2 ? "" : "s")" : ""
        return SluiceError(
            .malformedInput,
            "\(path): \(line)the \(compression.rawValue) stream ends early\(complete) "
                + "(truncated file; \(consumedTotal) bytes of input)"
        )
    }
}
