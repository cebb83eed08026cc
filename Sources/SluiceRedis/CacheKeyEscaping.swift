/// How the parts of a Redis key are kept apart: every byte that could end a part — the backslash, `:`, and the
/// first byte of each literal of the key template that follows a placeholder — is written with a backslash before
/// it when it stands in a value, a table name or a namespace.
///
/// That makes the mapping from (namespace, table, key values) to a Redis key injective: a key is read from the
/// left, each placeholder's text ending at the first unescaped byte of the literal after it, so no two different
/// rows, and no two tables, can share a key. Text without those bytes is written unchanged, so
/// `sluice:prices:AAPL:2024-01-02` stays as it was before escaping existed.
///
/// ```swift
/// let escaping = CacheKeyEscaping(separators: [UInt8(ascii: ":")])
/// var key: [UInt8] = []
/// escaping.append(Array("a:b".utf8), to: &key)   // a\:b
/// ```
struct CacheKeyEscaping: Sendable, Hashable {
    /// The escape byte, `\`.
    static let escape = UInt8(ascii: "\\")

    /// `special[b]` is whether byte `b` is escaped.
    private let special: [Bool]

    /// The escaped bytes, in order.
    let bytes: [UInt8]

    /// An escaping of `\`, `:` and `separators`.
    init(separators: some Sequence<UInt8>) {
        var special = [Bool](repeating: false, count: 256)
        special[Int(Self.escape)] = true
        special[Int(UInt8(ascii: ":"))] = true
        for byte in separators { special[Int(byte)] = true }
        self.special = special
        bytes = (0..<256).filter { special[$0] }.map { UInt8($0) }
    }

    /// Escapes only `\` and `:`: the rule for table and namespace names in Sluice's own keys.
    static let names = CacheKeyEscaping(separators: [])

    /// Whether `byte` is escaped.
    func isSpecial(_ byte: UInt8) -> Bool { special[Int(byte)] }

    /// Whether `text` holds a byte that escaping changes.
    func needsEscaping(_ text: some Collection<UInt8>) -> Bool { text.contains { special[Int($0)] } }

    /// Appends `text`, escaped.
    func append(_ text: some Collection<UInt8>, to bytes: inout [UInt8]) {
        for byte in text {
            if special[Int(byte)] { bytes.append(Self.escape) }
            bytes.append(byte)
        }
    }

    /// Escapes, in place, what was appended to `bytes` from index `start` on. Costs one scan when nothing needs
    /// escaping (the common case: dates, tickers, numbers).
    func escapeTail(of bytes: inout [UInt8], from start: Int) {
        guard let first = bytes[start...].firstIndex(where: { special[Int($0)] }) else { return }
        let tail = Array(bytes[first...])
        bytes.removeSubrange(first...)
        append(tail, to: &bytes)
    }

    /// `text` escaped.
    func escaped(_ text: String) -> String {
        let utf8 = Array(text.utf8)
        guard needsEscaping(utf8) else { return text }
        var bytes: [UInt8] = []
        append(utf8, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` with its escapes removed, or `nil` when it ends in a lone escape byte.
    static func unescaped(_ text: some Collection<UInt8>) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(text.count)
        var pending = false
        for byte in text {
            if pending {
                result.append(byte)
                pending = false
            } else if byte == escape {
                pending = true
            } else {
                result.append(byte)
            }
        }
        return pending ? nil : result
    }

    /// The index of the first unescaped byte `byte` in `bytes` from `start` on.
    static func firstUnescaped(_ byte: UInt8, in bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            if bytes[index] == escape {
                index += 2
                continue
            }
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }
}
