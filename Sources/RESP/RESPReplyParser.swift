import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses one complete reply from the start of a buffer's readable bytes, or finds that it is not complete yet.
struct RESPReplyParser {
    private let bytes: UnsafeRawBufferPointer
    private let buffer: ByteBuffer
    private let limits: RESPLimits
    private let streamOffset: Int
    private var position = 0

    private init(bytes: UnsafeRawBufferPointer, buffer: ByteBuffer, limits: RESPLimits, streamOffset: Int) {
        self.bytes = bytes
        self.buffer = buffer
        self.limits = limits
        self.streamOffset = streamOffset
    }

    /// The first reply in `buffer` and its length in bytes; `nil` when the reply is incomplete.
    static func parse(
        _ buffer: ByteBuffer,
        limits: RESPLimits,
        streamOffset: Int
    ) throws(RESPError) -> (RESPValue, Int)? {
        let outcome = buffer.withUnsafeReadableBytes { bytes -> Result<(RESPValue, Int)?, RESPError> in
            var parser = RESPReplyParser(bytes: bytes, buffer: buffer, limits: limits, streamOffset: streamOffset)
            do throws(RESPError) {
                guard let value = try parser.value(depth: 0) else { return .success(nil) }
                return .success((value, parser.position))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// The next value (after any attributes); `nil` if the bytes end before it does.
    private mutating func value(depth: Int) throws(RESPError) -> RESPValue? {
        while true {
            guard position < bytes.count else { return nil }
            let type = bytes[position]
            let start = position
            position += 1
            switch type {
            case UInt8(ascii: "+"): return try line().map { .simpleString(text($0)) }
            case UInt8(ascii: "-"): return try line().map { .error(text($0)) }
            case UInt8(ascii: ":"):
                guard let range = try line() else { return nil }
                return .integer(try integer(range, at: start))
            case UInt8(ascii: "$"):
                return try bulk(at: start, nullable: true).map { $0.map(RESPValue.bulkString) ?? .null }
            case UInt8(ascii: "!"): return try bulk(at: start, nullable: false).map { .error(String(buffer: $0!)) }
            case UInt8(ascii: "="): return try verbatim(at: start)
            case UInt8(ascii: "*"):
                return try aggregate(at: start, depth: depth, nullable: true).map { $0.map(RESPValue.array) ?? .null }
            case UInt8(ascii: "~"): return try aggregate(at: start, depth: depth, nullable: false).map { .set($0!) }
            case UInt8(ascii: ">"): return try aggregate(at: start, depth: depth, nullable: false).map { .push($0!) }
            case UInt8(ascii: "%"): return try map(at: start, depth: depth)
            case UInt8(ascii: "_"): return try null(at: start)
            case UInt8(ascii: "#"): return try boolean(at: start)
            case UInt8(ascii: ","): return try double(at: start)
            case UInt8(ascii: "("): return try bigNumber(at: start)
            case UInt8(ascii: "|"):
                // An attribute annotates the reply after it: read it (a map), drop it, read on.
                guard try map(at: start, depth: depth) != nil else { return nil }
            default:
                throw failure(at: start, "expected a reply type byte, saw \(Self.show(type))")
            }
        }
    }

    /// The range of the line starting at ``position`` (without CRLF), moving past it; `nil` if incomplete.
    private mutating func line() throws(RESPError) -> Range<Int>? {
        let available = bytes.count - position
        let searched = min(available, limits.maximumLineLength + 1)
        guard searched > 0, let base = bytes.baseAddress else { return nil }
        guard let found = memchr(base + position, Int32(UInt8(ascii: "\r")), searched) else {
            if available > limits.maximumLineLength {
                throw failure(.limitExceeded, at: position, "a line longer than \(limits.maximumLineLength) bytes")
            }
            return nil
        }
        let end = UnsafeRawPointer(found) - base
        guard end + 1 < bytes.count else { return nil }
        guard bytes[end + 1] == UInt8(ascii: "\n") else {
            throw failure(at: end + 1, "expected \\n after \\r, saw \(Self.show(bytes[end + 1]))")
        }
        defer { position = end + 2 }
        return position..<end
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// A decimal integer line, with an optional sign.
    private func integer(_ range: Range<Int>, at start: Int) throws(RESPError) -> Int64 {
        var index = range.lowerBound
        let negative = index < range.upperBound && bytes[index] == UInt8(ascii: "-")
        if negative || (index < range.upperBound && bytes[index] == UInt8(ascii: "+")) { index += 1 }
        guard index < range.upperBound else { throw failure(at: start, "expected a number, saw an empty line") }
        var value: Int64 = 0
        while index < range.upperBound {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { throw failure(at: index, "expected a digit, saw \(Self.show(bytes[index]))") }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) =
                negative
                ? times.subtractingReportingOverflow(Int64(digit)) : times.addingReportingOverflow(Int64(digit))
            guard !overflow1, !overflow2 else { throw failure(at: start, "a number out of the 64-bit range") }
            value = sum
            index += 1
        }
        return value
    }

    /// A length line (`$`, `*`…): `-1` is null (`nil` length) where allowed; `.none` when incomplete.
    private mutating func length(at start: Int, nullable: Bool, limit: Int) throws(RESPError) -> Int?? {
        guard let range = try line() else { return .none }
        let value = try integer(range, at: start)
        if value == -1 && nullable { return .some(nil) }
        guard value >= 0 else { throw failure(at: start, "a negative length \(value)") }
        guard value <= limit else {
            throw failure(.limitExceeded, at: start, "a length of \(value) over the limit of \(limit)")
        }
        return .some(Int(value))
    }

    /// A bulk payload: `.some(nil)` for `$-1`, `nil` when incomplete.
    private mutating func bulk(at start: Int, nullable: Bool) throws(RESPError) -> ByteBuffer?? {
        guard let announced = try length(at: start, nullable: nullable, limit: limits.maximumBulkLength) else {
            return .none
        }
        guard let count = announced else { return .some(nil) }
        guard bytes.count - position >= count + 2 else { return .none }
        let end = position + count
        guard bytes[end] == UInt8(ascii: "\r"), bytes[end + 1] == UInt8(ascii: "\n") else {
            throw failure(
                at: end,
                "expected \\r\\n after \(count) bytes of a bulk string, saw \(Self.show(bytes[end]))"
            )
        }
        let slice = buffer.getSlice(at: buffer.readerIndex + position, length: count)!
        position = end + 2
        return .some(slice)
    }

    /// `=len\r\nfmt:text\r\n`, as a bulk string of the text.
    private mutating func verbatim(at start: Int) throws(RESPError) -> RESPValue? {
        guard let payload = try bulk(at: start, nullable: false) else { return nil }
        var text = payload!
        guard text.readableBytes >= 4, text.getInteger(at: text.readerIndex + 3, as: UInt8.self) == UInt8(ascii: ":")
        else { throw failure(at: start, "a verbatim string without its 3-letter format prefix") }
        text.moveReaderIndex(forwardBy: 4)
        return .bulkString(text)
    }

    private mutating func aggregate(at start: Int, depth: Int, nullable: Bool) throws(RESPError) -> [RESPValue]?? {
        guard let announced = try length(at: start, nullable: nullable, limit: limits.maximumAggregateCount) else {
            return .none
        }
        guard let count = announced else { return .some(nil) }
        guard depth < limits.maximumDepth else {
            throw failure(.limitExceeded, at: start, "aggregates nested deeper than \(limits.maximumDepth)")
        }
        var values: [RESPValue] = []
        // Every element takes 3 bytes at least: never reserve for elements that have not arrived.
        values.reserveCapacity(min(count, (bytes.count - position) / 3))
        for _ in 0..<count {
            guard let element = try value(depth: depth + 1) else { return .none }
            values.append(element)
        }
        return .some(values)
    }

    private mutating func map(at start: Int, depth: Int) throws(RESPError) -> RESPValue? {
        guard let announced = try length(at: start, nullable: false, limit: limits.maximumAggregateCount),
            let count = announced
        else { return nil }
        guard depth < limits.maximumDepth else {
            throw failure(.limitExceeded, at: start, "aggregates nested deeper than \(limits.maximumDepth)")
        }
        var pairs: [RESPValue: RESPValue] = [:]
        for _ in 0..<count {
            guard let key = try value(depth: depth + 1), let value = try value(depth: depth + 1) else { return nil }
            pairs[key] = value
        }
        return .map(pairs)
    }

    private mutating func null(at start: Int) throws(RESPError) -> RESPValue? {
        guard let range = try line() else { return nil }
        guard range.isEmpty else { throw failure(at: start, "a null with content") }
        return .null
    }

    private mutating func boolean(at start: Int) throws(RESPError) -> RESPValue? {
        guard let range = try line() else { return nil }
        guard range.count == 1,
            bytes[range.lowerBound] == UInt8(ascii: "t") || bytes[range.lowerBound] == UInt8(ascii: "f")
        else { throw failure(at: start, "a boolean that is not #t or #f") }
        return .boolean(bytes[range.lowerBound] == UInt8(ascii: "t"))
    }

    private mutating func double(at start: Int) throws(RESPError) -> RESPValue? {
        guard let range = try line() else { return nil }
        let text = text(range)
        guard !text.isEmpty, let value = Double(text) else {
            throw failure(at: start, "a double that does not parse: \(Self.show(text))")
        }
        return .double(value)
    }

    private mutating func bigNumber(at start: Int) throws(RESPError) -> RESPValue? {
        guard let range = try line() else { return nil }
        let text = text(range)
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) else {
            throw failure(at: start, "a big number that is not decimal: \(Self.show(text))")
        }
        return .bigNumber(text)
    }

    private func failure(_ code: RESPError.Code = .protocolViolation, at offset: Int, _ what: String) -> RESPError {
        RESPError(code, "invalid reply: \(what)", offset: streamOffset + offset)
    }

    /// A byte as `'c'` (printable) or `0xNN`.
    private static func show(_ byte: UInt8) -> String {
        (0x21...0x7e).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "0x" + String(byte, radix: 16)
    }

    /// At most 20 characters of `text`, quoted.
    private static func show(_ text: String) -> String {
        "\"" + text.prefix(20).unicodeScalars.map { $0.isASCII && $0.value >= 0x20 ? String($0) : "?" }.joined() + "\""
    }
}
