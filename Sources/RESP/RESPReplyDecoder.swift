import NIOCore

/// Decodes RESP2 and RESP3 replies incrementally: a `NIOSingleStepByteToMessageDecoder`.
///
/// Given part of a reply it returns `nil` and consumes nothing (the next call starts over with more bytes); given
/// bytes that are not RESP it throws a ``RESPError`` naming the byte offset in the stream and what it saw.
/// Attributes are skipped; push messages are returned as ``RESPValue/push(_:)`` for the caller to route.
public struct RESPReplyDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = RESPValue

    /// What the decoder accepts.
    public let limits: RESPLimits
    /// Bytes consumed so far: the stream offset of the buffer's reader index.
    public private(set) var consumedBytes = 0

    /// A decoder with `limits`.
    public init(limits: RESPLimits = RESPLimits()) {
        self.limits = limits
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> RESPValue? {
        guard let (value, length) = try RESPReplyParser.parse(buffer, limits: limits, streamOffset: consumedBytes)
        else { return nil }
        buffer.moveReaderIndex(forwardBy: length)
        consumedBytes += length
        return value
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> RESPValue? {
        try decode(buffer: &buffer)
    }
}
