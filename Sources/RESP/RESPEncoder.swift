import NIOCore

/// Writes requests (`*N\r\n$len\r\n…\r\n`) straight into a `ByteBuffer`: no intermediate `String` per argument.
///
/// ```swift
/// var encoder = RESPEncoder(buffer: allocator.buffer(capacity: 4096))
/// encoder.writeArrayHeader(5)
/// encoder.writeBulkString("SET")
/// encoder.writeBulkString(keyBytes)
/// encoder.writeBulkString(valueBytes)
/// encoder.writeBulkString("EX")
/// encoder.writeBulkString(300)
/// ```
public struct RESPEncoder: Sendable {
    /// The bytes written so far.
    public var buffer: ByteBuffer

    /// An encoder appending to `buffer`.
    public init(buffer: ByteBuffer) {
        self.buffer = buffer
    }

    /// `*count\r\n`: a command of `count` arguments (its name included) follows.
    @inlinable
    public mutating func writeArrayHeader(_ count: Int) {
        writeHeader(UInt8(ascii: "*"), count)
    }

    /// A bulk string of `string`'s UTF-8 bytes.
    @inlinable
    public mutating func writeBulkString(_ string: String) {
        var string = string
        string.withUTF8 { writeBulkString(UnsafeRawBufferPointer($0)) }
    }

    /// A bulk string of `string`'s bytes (command names, options).
    @inlinable
    public mutating func writeBulkString(_ string: StaticString) {
        string.withUTF8Buffer { writeBulkString(UnsafeRawBufferPointer($0)) }
    }

    /// A bulk string of `bytes`' readable bytes.
    @inlinable
    public mutating func writeBulkString(_ bytes: ByteBuffer) {
        bytes.withUnsafeReadableBytes { writeBulkString($0) }
    }

    /// A bulk string of `bytes`.
    @inlinable
    public mutating func writeBulkString(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { writeBulkString($0) }
    }

    /// A bulk string of raw bytes: header, bytes and CRLF in one write.
    @inlinable
    public mutating func writeBulkString(_ bytes: UnsafeRawBufferPointer) {
        let digits = Self.decimalCount(bytes.count)
        let total = digits + bytes.count + 5
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: total) { output in
            output[0] = UInt8(ascii: "$")
            Self.store(bytes.count, digits: digits, into: output, at: 1)
            output[digits + 1] = 13
            output[digits + 2] = 10
            if let source = bytes.baseAddress, bytes.count > 0 {
                (output.baseAddress! + digits + 3).copyMemory(from: source, byteCount: bytes.count)
            }
            output[total - 2] = 13
            output[total - 1] = 10
            return total
        }
    }

    /// A bulk string of `value` in decimal (how Redis takes numbers), in one write.
    @inlinable
    public mutating func writeBulkString(_ value: Int) {
        let digits = Self.decimalCount(value)
        let lengthDigits = Self.decimalCount(digits)
        let total = lengthDigits + digits + 5
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: total) { output in
            output[0] = UInt8(ascii: "$")
            Self.store(digits, digits: lengthDigits, into: output, at: 1)
            output[lengthDigits + 1] = 13
            output[lengthDigits + 2] = 10
            Self.store(value, digits: digits, into: output, at: lengthDigits + 3)
            output[total - 2] = 13
            output[total - 1] = 10
            return total
        }
    }

    /// A bulk string of exactly `length` bytes that `body` writes itself, e.g. a key made of a prefix and a
    /// number, without building the key first:
    ///
    /// ```swift
    /// encoder.writeBulkString(length: 6 + RESPEncoder.decimalCount(id)) { buffer in
    ///     buffer.writeStaticString("price:")
    ///     RESPEncoder.writeDecimal(id, into: &buffer)
    /// }
    /// ```
    @inlinable
    public mutating func writeBulkString(length: Int, _ body: (inout ByteBuffer) -> Void) {
        writeHeader(UInt8(ascii: "$"), length)
        let start = buffer.writerIndex
        body(&buffer)
        assert(buffer.writerIndex - start == length, "writeBulkString(length:) wrote a different number of bytes")
        buffer.writeInteger(UInt16(0x0d0a))
    }

    /// Writes `value` in ASCII decimal into `buffer` (inside ``writeBulkString(length:_:)``).
    @inlinable
    public static func writeDecimal(_ value: Int, into buffer: inout ByteBuffer) {
        let digits = decimalCount(value)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: digits) { output in
            store(value, digits: digits, into: output, at: 0)
            return digits
        }
    }

    /// The number of characters of `value` in decimal, its sign included.
    @inlinable
    public static func decimalCount(_ value: Int) -> Int {
        var magnitude = value.magnitude
        var length = value < 0 ? 2 : 1
        while magnitude >= 10 {
            magnitude /= 10
            length += 1
        }
        return length
    }

    /// `marker`, `count` in decimal, CRLF: in one write.
    @inlinable
    mutating func writeHeader(_ marker: UInt8, _ count: Int) {
        let digits = Self.decimalCount(count)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: digits + 3) { output in
            output[0] = marker
            Self.store(count, digits: digits, into: output, at: 1)
            output[digits + 1] = 13
            output[digits + 2] = 10
            return digits + 3
        }
    }

    /// Stores `value`'s `digits` decimal characters (sign included) at `offset`.
    @inlinable
    static func store(_ value: Int, digits: Int, into output: UnsafeMutableRawBufferPointer, at offset: Int) {
        var magnitude = value.magnitude
        var index = offset + digits
        repeat {
            index -= 1
            output[index] = UInt8(truncatingIfNeeded: magnitude % 10) &+ UInt8(ascii: "0")
            magnitude /= 10
        } while magnitude > 0
        if value < 0 { output[offset] = UInt8(ascii: "-") }
    }
}
