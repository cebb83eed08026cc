import Sluice

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns the memory of a ``ByteWindow``; freed when the last window copy lets go.
final class WindowStorage {
    let base: UnsafeMutablePointer<UInt8>
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        base = .allocate(capacity: capacity)
    }

    deinit { base.deallocate() }
}

/// A sliding window over the decompressed bytes of a ``ByteInput``: parsers scan `base[start..<end]`, mark what
/// they consumed by moving `start`, and call ``refill()`` when a record runs past `end`.
///
/// Memory stays constant: refilling drops the consumed bytes; the window grows only when a single record is
/// larger than it, up to ``maximumCapacity``.
struct ByteWindow {
    /// The input the window reads from.
    let input: ByteInput
    /// The first byte of the window's memory. Offsets below are relative to it and shift on ``refill()``.
    private(set) var base: UnsafeMutablePointer<UInt8>
    /// The first byte not yet consumed.
    var start = 0
    /// One past the last byte read.
    private(set) var end = 0
    /// Whether the input has no more bytes: a record that reaches `end` really ends there.
    private(set) var isExhausted = false
    /// How far offsets moved down in the last ``refill()``.
    private(set) var lastShift = 0
    private var storage: WindowStorage
    private let readSize: Int

    /// The largest a window may grow to hold one record.
    static let maximumCapacity = 1 << 30

    /// A window over `input` that reads `readSize` bytes at a time.
    init(input: ByteInput, readSize: Int = 1 << 20) {
        self.input = input
        self.readSize = readSize
        storage = WindowStorage(capacity: readSize * 2)
        base = storage.base
    }

    /// The capacity of the window's memory.
    var capacity: Int { storage.capacity }

    /// Drops the consumed bytes (before `start`) and reads more after `end`.
    ///
    /// - Returns: `false` when the input is exhausted (and nothing was added).
    /// - Throws: ``Sluice/SluiceError`` from the input, or when one record outgrows ``maximumCapacity``.
    mutating func refill() throws -> Bool {
        guard !isExhausted else {
            lastShift = 0
            return false
        }
        lastShift = start
        if start > 0 {
            memmove(base, base + start, end - start)
            end -= start
            start = 0
        }
        var target = min(storage.capacity, end + readSize)
        if storage.capacity - end < readSize {
            let grown = WindowStorage(capacity: storage.capacity * 2)
            guard grown.capacity <= ByteWindow.maximumCapacity else {
                throw ByteWindow.recordTooLarge(input)
            }
            grown.base.update(from: base, count: end)
            storage = grown
            base = grown.base
            // A long record: fill all the new space, so re-parsing it from its start costs linear time overall.
            target = storage.capacity
        }
        let before = end
        while end < target {
            let count: Int
            do {
                count = try input.read(into: UnsafeMutableRawBufferPointer(start: base + end, count: target - end))
            } catch {
                // A truncated or corrupt stream: hand out the bytes before it first, so the reader parses its
                // complete lines; the next refill meets the failure again and names the line reached by then.
                guard end > before, input.hasFailed else { throw error }
                break
            }
            if count == 0 {
                isExhausted = true
                break
            }
            end += count
        }
        return end > before
    }

    /// The bytes `base[from..<to]`.
    func bytes(_ from: Int, _ to: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + from, count: to - from)
    }

    private static func recordTooLarge(_ input: ByteInput) -> SluiceError {
        SluiceErrorBox.malformed(
            "\(input.path):\(input.lineHint): a record longer than \(maximumCapacity >> 20) MiB "
                + "(an unterminated quoted field or string?)"
        )
    }
}
