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
        buffer.writeInteger(UInt8(ascii: "*"))
        writeDecimal(count)
        buffer.writeInteger(Self.crlf)
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
        writeLength(bytes.readableBytes)
        buffer.writeImmutableBuffer(bytes)
        buffer.writeInteger(Self.crlf)
    }

    /// A bulk string of raw bytes.
    @inlinable
    public mutating func writeBulkString(_ bytes: UnsafeRawBufferPointer) {
        writeLength(bytes.count)
        buffer.writeBytes(bytes)
        buffer.writeInteger(Self.crlf)
    }

    /// A bulk string of `bytes`.
    @inlinable
    public mutating func writeBulkString(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { writeBulkString($0) }
    }

    /// A bulk string of `value` in decimal (how Redis takes numbers).
    @inlinable
    public mutating func writeBulkString(_ value: Int) {
        writeLength(Self.decimalLength(value))
        writeDecimal(value)
        buffer.writeInteger(Self.crlf)
    }

    @usableFromInline
    static let crlf = UInt16(0x0d0a)

    @inlinable
    mutating func writeLength(_ count: Int) {
        buffer.writeInteger(UInt8(ascii: "$"))
        writeDecimal(count)
        buffer.writeInteger(Self.crlf)
    }

    /// `value` in ASCII decimal.
    @inlinable
    mutating func writeDecimal(_ value: Int) {
        if value >= 0 && value < 10 {
            buffer.writeInteger(UInt8(truncatingIfNeeded: value) &+ UInt8(ascii: "0"))
            return
        }
        let length = Self.decimalLength(value)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { output in
            var magnitude = value.magnitude
            var index = length
            repeat {
                index -= 1
                output[index] = UInt8(truncatingIfNeeded: magnitude % 10) &+ UInt8(ascii: "0")
                magnitude /= 10
            } while magnitude > 0
            if value < 0 { output[0] = UInt8(ascii: "-") }
            return length
        }
    }

    /// The number of characters of `value` in decimal, its sign included.
    @inlinable
    static func decimalLength(_ value: Int) -> Int {
        var magnitude = value.magnitude
        var length = value < 0 ? 2 : 1
        while magnitude >= 10 {
            magnitude /= 10
            length += 1
        }
        return length
    }
}
