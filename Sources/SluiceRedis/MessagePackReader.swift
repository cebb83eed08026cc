import Sluice

/// Reads back the MessagePack maps ``CacheValueEncoder`` writes: a map of column names to nil, booleans,
/// integers, float64, strings (decimals, dates and JSON are strings), binary, and timestamps (extension -1).
struct MessagePackReader {
    /// A value that is not a MessagePack map of this shape.
    struct Malformed: Error, CustomStringConvertible {
        var offset: Int
        var reason: String
        var description: String { "\(reason) at byte \(offset)" }
    }

    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The map's entries in order.
    mutating func readMap() throws(Malformed) -> [(name: String, value: Value)] {
        let byte = try next()
        let count: Int
        switch byte {
        case 0x80...0x8F: count = Int(byte & 0x0F)
        case 0xDE: count = try integer(2)
        case 0xDF: count = try integer(4)
        default: throw Malformed(offset: offset - 1, reason: "not a map")
        }
        var entries: [(name: String, value: Value)] = []
        for _ in 0..<count {
            guard case .string(let name) = try readValue() else {
                throw Malformed(offset: offset, reason: "a map key is not a string")
            }
            entries.append((name, try readValue()))
        }
        guard offset == bytes.count else { throw Malformed(offset: offset, reason: "bytes after the map") }
        return entries
    }

    private mutating func readValue() throws(Malformed) -> Value {
        let byte = try next()
        switch byte {
        case 0x00...0x7F: return .int64(Int64(byte))
        case 0xE0...0xFF: return .int64(Int64(Int8(bitPattern: byte)))
        case 0xA0...0xBF: return .string(try text(Int(byte & 0x1F)))
        case 0xC0: return .null
        case 0xC2: return .bool(false)
        case 0xC3: return .bool(true)
        case 0xC4: return .bytes(try take(try integer(1)))
        case 0xC5: return .bytes(try take(try integer(2)))
        case 0xC6: return .bytes(try take(try integer(4)))
        case 0xCA: return .double(Double(Float(bitPattern: UInt32(try integer(4)))))
        case 0xCB: return .double(Double(bitPattern: UInt64(bitPattern: Int64(try unsigned(8)))))
        case 0xCC: return .int64(Int64(try integer(1)))
        case 0xCD: return .int64(Int64(try integer(2)))
        case 0xCE: return .int64(Int64(try integer(4)))
        case 0xCF:
            let value = try unsigned(8)
            guard value <= UInt64(Int64.max) else { throw Malformed(offset: offset, reason: "uint64 out of range") }
            return .int64(Int64(value))
        case 0xD0: return .int64(Int64(Int8(truncatingIfNeeded: try integer(1))))
        case 0xD1: return .int64(Int64(Int16(truncatingIfNeeded: try integer(2))))
        case 0xD2: return .int64(Int64(Int32(truncatingIfNeeded: try integer(4))))
        case 0xD3: return .int64(Int64(bitPattern: try unsigned(8)))
        case 0xD9: return .string(try text(try integer(1)))
        case 0xDA: return .string(try text(try integer(2)))
        case 0xDB: return .string(try text(try integer(4)))
        case 0xD6: return try timestamp(length: 4)
        case 0xD7: return try timestamp(length: 8)
        case 0xC7:
            return try timestamp(length: try integer(1))
        default: throw Malformed(offset: offset - 1, reason: "unsupported type byte \(byte)")
        }
    }

    /// The timestamp extension (-1) of `length` bytes (4, 8 or 12).
    private mutating func timestamp(length: Int) throws(Malformed) -> Value {
        guard try next() == 0xFF else { throw Malformed(offset: offset - 1, reason: "an extension other than -1") }
        let seconds: Int64
        let nanoseconds: Int64
        switch length {
        case 4:
            seconds = Int64(try integer(4))
            nanoseconds = 0
        case 8:
            let packed = try unsigned(8)
            nanoseconds = Int64(packed >> 34)
            seconds = Int64(packed & 0x3_FFFF_FFFF)
        case 12:
            nanoseconds = Int64(try integer(4))
            seconds = Int64(bitPattern: try unsigned(8))
        default: throw Malformed(offset: offset, reason: "a timestamp of \(length) bytes")
        }
        return .timestamp(Timestamp(microsecondsSinceEpoch: seconds * 1_000_000 + nanoseconds / 1_000))
    }

    private mutating func next() throws(Malformed) -> UInt8 {
        guard offset < bytes.count else { throw Malformed(offset: offset, reason: "truncated") }
        defer { offset += 1 }
        return bytes[offset]
    }

    private mutating func take(_ count: Int) throws(Malformed) -> [UInt8] {
        guard count >= 0, offset + count <= bytes.count else { throw Malformed(offset: offset, reason: "truncated") }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    private mutating func text(_ count: Int) throws(Malformed) -> String {
        String(decoding: try take(count), as: UTF8.self)
    }

    private mutating func unsigned(_ count: Int) throws(Malformed) -> UInt64 {
        try take(count).reduce(0) { $0 << 8 | UInt64($1) }
    }

    private mutating func integer(_ count: Int) throws(Malformed) -> Int { Int(try unsigned(count)) }
}
