import NIOCore
import RESP

/// One command of a cache load, made from bytes without a ``RESP/RESPCommand`` per row: `SET`, a hash's
/// `UNLINK`/`HSET`/`EXPIRE`, a stream's `XADD`/`XTRIM`, or `UNLINK`.
struct CacheCommand: RESPClusterRoutable, Sendable {
    /// `SET`'s condition.
    enum Condition: Sendable {
        case always
        /// `NX`: only if the key does not exist (a null reply when it does).
        case ifAbsent
        /// `XX`: only if the key exists (a null reply when it does not).
        case ifPresent
    }

    /// What the command does to ``key``.
    enum Operation: Sendable {
        /// `SET key value [EX ttl | KEEPTTL] [NX | XX]`.
        case set(value: [UInt8], ttl: Int?, keepTTL: Bool, condition: Condition)
        /// `HSET key field value …`.
        case hashSet(fields: [(name: [UInt8], value: [UInt8])])
        /// `EXPIRE key ttl`.
        case expire(Int)
        /// `UNLINK key`.
        case unlink
        /// `XADD key id field value …`.
        case streamAdd(id: String, fields: [(name: [UInt8], value: [UInt8])])
        /// `XTRIM key MINID id`: drops the entries before `id`.
        case streamTrim(minimumID: String)
        /// Drops the entries from `fromID` up to (not including) `beforeID` (`XRANGE`, then `XDEL` of each, in one
        /// script): what a load killed before it recorded its version had added.
        case streamDrop(fromID: String, beforeID: String)
    }

    var key: [UInt8]
    var operation: Operation

    var hashSlot: Int { key.withUnsafeBytes { RESPHashSlot.slot(of: $0) } }

    /// The key as text, for messages.
    var keyText: String { String(decoding: key, as: UTF8.self) }

    /// `SET key value [EX ttl | KEEPTTL] [NX | XX]`, from bytes the caller may reuse.
    static func encodeSet(
        key: [UInt8],
        value: [UInt8],
        ttl: Int?,
        keepTTL: Bool,
        condition: Condition,
        into encoder: inout RESPEncoder
    ) {
        let count = 3 + (ttl == nil ? (keepTTL ? 1 : 0) : 2) + (condition == .always ? 0 : 1)
        encoder.writeArrayHeader(count)
        encoder.writeBulkString("SET")
        encoder.writeBulkString(key)
        encoder.writeBulkString(value)
        if let ttl {
            encoder.writeBulkString("EX")
            encoder.writeBulkString(ttl)
        } else if keepTTL {
            encoder.writeBulkString("KEEPTTL")
        }
        switch condition {
        case .always: break
        case .ifAbsent: encoder.writeBulkString("NX")
        case .ifPresent: encoder.writeBulkString("XX")
        }
    }

    func encode(into encoder: inout RESPEncoder) {
        switch operation {
        case .set(let value, let ttl, let keepTTL, let condition):
            Self.encodeSet(key: key, value: value, ttl: ttl, keepTTL: keepTTL, condition: condition, into: &encoder)
        case .hashSet(let fields):
            encoder.writeArrayHeader(2 + 2 * fields.count)
            encoder.writeBulkString("HSET")
            encoder.writeBulkString(key)
            for field in fields {
                encoder.writeBulkString(field.name)
                encoder.writeBulkString(field.value)
            }
        case .expire(let seconds):
            encoder.writeArrayHeader(3)
            encoder.writeBulkString("EXPIRE")
            encoder.writeBulkString(key)
            encoder.writeBulkString(seconds)
        case .unlink:
            encoder.writeArrayHeader(2)
            encoder.writeBulkString("UNLINK")
            encoder.writeBulkString(key)
        case .streamAdd(let id, let fields):
            encoder.writeArrayHeader(3 + 2 * fields.count)
            encoder.writeBulkString("XADD")
            encoder.writeBulkString(key)
            encoder.writeBulkString(id)
            for field in fields {
                encoder.writeBulkString(field.name)
                encoder.writeBulkString(field.value)
            }
        case .streamTrim(let minimumID):
            encoder.writeArrayHeader(4)
            encoder.writeBulkString("XTRIM")
            encoder.writeBulkString(key)
            encoder.writeBulkString("MINID")
            encoder.writeBulkString(minimumID)
        case .streamDrop(let fromID, let beforeID):
            encoder.writeArrayHeader(6)
            encoder.writeBulkString("EVAL")
            encoder.writeBulkString(Self.streamDropScript)
            encoder.writeBulkString("1")
            encoder.writeBulkString(key)
            encoder.writeBulkString(fromID)
            encoder.writeBulkString("(" + beforeID)
        }
    }

    /// The script of ``Operation/streamDrop(fromID:beforeID:)``; it returns how many entries it deleted.
    static let streamDropScript = """
        local n = 0
        for _, e in ipairs(redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[2])) do
          n = n + redis.call('XDEL', KEYS[1], e[1])
        end
        return n
        """
}
