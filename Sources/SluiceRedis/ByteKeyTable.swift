/// An insert-only hash table of byte-string keys, each with a dense index from 0: the keys live in one byte
/// arena, so a million Redis keys cost a few arrays rather than a million strings and a `Dictionary`'s hashing.
///
/// Open addressing with linear probing over a power-of-two slot array of FNV-1a hashes and indexes.
struct ByteKeyTable: Sendable {
    private(set) var arena: [UInt8] = []
    private var starts: [Int] = [0]
    /// Per slot: the key's 32-bit hash in the high half and its index in the low half; `empty` when free. A probe
    /// compares hashes without touching the keys, and growing needs no key at all.
    private var slots: [UInt64]
    private var mask: Int
    private static let empty = UInt64.max

    /// A table sized for about `capacity` keys without growing.
    init(capacity: Int = 0) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Self.empty, count: size)
        mask = size - 1
        arena.reserveCapacity(capacity * 24)
        starts.reserveCapacity(capacity + 1)
    }

    /// Keys in the table.
    var count: Int { starts.count - 1 }

    /// The index of `key`, if it is in the table.
    func index(of key: [UInt8]) -> Int? {
        let hash = Self.hash(key)
        var slot = Int(hash) & mask
        while true {
            let entry = slots[slot]
            if entry == Self.empty { return nil }
            let index = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)
            if UInt32(entry >> 32) == hash && matches(index, key) { return index }
            slot = (slot + 1) & mask
        }
    }

    /// Inserts `key` unless it is there; returns its index and whether it was new.
    @discardableResult
    mutating func insert(_ key: [UInt8]) -> (index: Int, inserted: Bool) {
        if count * 2 >= slots.count { grow() }
        let hash = Self.hash(key)
        var slot = Int(hash) & mask
        while true {
            let entry = slots[slot]
            if entry == Self.empty { break }
            let index = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF)
            if UInt32(entry >> 32) == hash && matches(index, key) { return (index, false) }
            slot = (slot + 1) & mask
        }
        let index = count
        slots[slot] = UInt64(hash) << 32 | UInt64(index)
        arena.append(contentsOf: key)
        starts.append(arena.count)
        return (index, true)
    }

    /// The bytes of key `index`.
    func bytes(at index: Int) -> ArraySlice<UInt8> { arena[starts[index]..<starts[index + 1]] }

    /// Key `index` as text.
    func text(at index: Int) -> String { String(decoding: bytes(at: index), as: UTF8.self) }

    private func matches(_ index: Int, _ key: [UInt8]) -> Bool {
        let start = starts[index]
        let end = starts[index + 1]
        guard end - start == key.count else { return false }
        return arena.withUnsafeBufferPointer { stored in
            key.withUnsafeBufferPointer { wanted in
                memcmpEqual(stored.baseAddress! + start, wanted.baseAddress, key.count)
            }
        }
    }

    private mutating func grow() {
        let old = slots
        let size = slots.count * 2
        slots = Array(repeating: Self.empty, count: size)
        mask = size - 1
        for entry in old where entry != Self.empty {
            var slot = Int(entry >> 32) & mask
            while slots[slot] != Self.empty { slot = (slot + 1) & mask }
            slots[slot] = entry
        }
    }

    /// FNV-1a, 64 bits, with a final mix so that the low bits (the slot) depend on every byte; 32 bits kept.
    static func hash(_ key: [UInt8]) -> UInt32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return UInt32(truncatingIfNeeded: hash)
    }
}

/// Whether `count` bytes at two addresses are equal.
private func memcmpEqual(_ left: UnsafePointer<UInt8>, _ right: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
    guard let right else { return count == 0 }
    for offset in 0..<count where left[offset] != right[offset] { return false }
    return true
}
