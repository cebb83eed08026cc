import NIOCore
import RESP

/// The commands one input batch sends while the input is still being read, with the load key each one writes:
/// encoded straight into one buffer for a single server (no object per row), or kept as ``CacheCommand``s for a
/// cluster, which routes each by its slot.
struct CacheBatch: Sendable {
    /// Whether commands are encoded into ``encoder`` (a single server) rather than kept in ``commands``.
    let isEncoded: Bool
    private(set) var encoder = RESPEncoder(buffer: ByteBuffer())
    private(set) var commands: [CacheCommand] = []
    /// Per command: the index of the load key it writes.
    private(set) var loadIndexes: [Int32] = []
    /// Per command, when encoded: where it starts in the buffer.
    private var offsets: [Int32] = []

    init(isEncoded: Bool, capacity: Int) {
        self.isEncoded = isEncoded
        loadIndexes.reserveCapacity(capacity)
        if isEncoded {
            encoder = RESPEncoder(buffer: ByteBufferAllocator().buffer(capacity: capacity * 200))
            offsets.reserveCapacity(capacity)
        } else {
            commands.reserveCapacity(capacity)
        }
    }

    var count: Int { loadIndexes.count }
    var isEmpty: Bool { loadIndexes.isEmpty }

    /// The encoded commands (single server).
    var buffer: ByteBuffer { encoder.buffer }

    /// Adds `SET key value [EX ttl] NX` (the first write of a new key).
    mutating func appendNewValue(key: [UInt8], value: [UInt8], ttl: Int?, loadIndex: Int) {
        guard isEncoded else {
            return append(
                CacheCommand(key: key, operation: .set(value: value, ttl: ttl, keepTTL: false, condition: .ifAbsent)),
                loadIndex: loadIndex
            )
        }
        offsets.append(Int32(encoder.buffer.writerIndex))
        loadIndexes.append(Int32(loadIndex))
        CacheCommand.encodeSet(key: key, value: value, ttl: ttl, keepTTL: false, condition: .ifAbsent, into: &encoder)
    }

    /// Adds any command.
    mutating func append(_ command: CacheCommand, loadIndex: Int) {
        loadIndexes.append(Int32(loadIndex))
        if isEncoded {
            offsets.append(Int32(encoder.buffer.writerIndex))
            command.encode(into: &encoder)
        } else {
            commands.append(command)
        }
    }

    /// Command `index` as a ``CacheCommand`` (read back from the buffer when encoded); `nil` if it is not a `SET`.
    func setCommand(at index: Int) -> CacheCommand? {
        if !isEncoded {
            guard case .set = commands[index].operation else { return nil }
            return commands[index]
        }
        let start = Int(offsets[index])
        let end = index + 1 < offsets.count ? Int(offsets[index + 1]) : encoder.buffer.writerIndex
        guard let words = Self.words(encoder.buffer.getBytes(at: start, length: end - start) ?? []),
            words.count >= 3, words[0] == Array("SET".utf8)
        else { return nil }
        var ttl: Int?
        var keepTTL = false
        var position = 3
        while position < words.count {
            switch String(decoding: words[position], as: UTF8.self) {
            case "EX" where position + 1 < words.count:
                ttl = Int(String(decoding: words[position + 1], as: UTF8.self))
                position += 1
            case "KEEPTTL": keepTTL = true
            default: break
            }
            position += 1
        }
        return CacheCommand(
            key: words[1],
            operation: .set(value: words[2], ttl: ttl, keepTTL: keepTTL, condition: .ifAbsent)
        )
    }

    /// The key of command `index`, as text (for messages).
    func keyText(at index: Int) -> String {
        if !isEncoded { return commands[index].keyText }
        let start = Int(offsets[index])
        let end = index + 1 < offsets.count ? Int(offsets[index + 1]) : encoder.buffer.writerIndex
        let words = Self.words(encoder.buffer.getBytes(at: start, length: end - start) ?? []) ?? []
        return words.count > 1 ? String(decoding: words[1], as: UTF8.self) : "?"
    }

    /// The bulk strings of one encoded command (`*N` then `N` times `$len` and the bytes).
    private static func words(_ bytes: [UInt8]) -> [[UInt8]]? {
        var offset = 0
        func number() -> Int? {
            guard offset < bytes.count else { return nil }
            offset += 1
            var value = 0
            while offset < bytes.count, bytes[offset] != UInt8(ascii: "\r") {
                value = value * 10 + Int(bytes[offset] &- UInt8(ascii: "0"))
                offset += 1
            }
            offset += 2
            return value
        }
        guard let count = number() else { return nil }
        var words: [[UInt8]] = []
        for _ in 0..<count {
            guard let length = number(), offset + length <= bytes.count else { return nil }
            words.append(Array(bytes[offset..<offset + length]))
            offset += length + 2
        }
        return words
    }
}
