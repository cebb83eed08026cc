/// An insert-only hash table of byte-string keys, each with a dense index from 0: the keys live in one byte
/// arena, so a million Redis keys cost a few arrays rather than a million strings and a `Dictionary`'s hashing.
///
/// Open addressing with linear probing over a power-of-two slot array, FNV-1a hashes, and the hash's low 32
/// bits kept per key to skip most byte comparisons.
struct ByteKeyTable: Sendable {
    private(set) var arena: [UInt8] = []
    private var starts: [Int] = [0]
    private var hashes: [UInt32] = []
    private var slots: [Int32]
    private var mask: Int

    /// A table sized for about `capacity` keys without growing.
    init(capacity: Int = 0) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        arena.reserveCapacity(capacity * 24)
        starts.reserveCapacity(capacity + 1)
        hashes.reserveCapacity(capacity)
    }

    /// Keys in the table.
    var count: Int { hashes.count }

    /// The index of `key`, if it is in the table.
    func index(of key: [UInt8]) -> Int? {
        let hash = Self.hash(key)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            if hashes[index] == UInt32(truncatingIfNeeded: hash) && matches(index, key) { return index }
            slot = (slot + 1) & mask
        }
    }

    /// Inserts `key` unless it is there; returns its index and whether it was new.
    @discardableResult
    mutating func insert(_ key: [UInt8]) -> (index: Int, inserted: Bool) {
        if hashes.count * 2 >= slots.count { grow() }
        let hash = Self.hash(key)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { break }
            if hashes[index] == UInt32(truncatingIfNeeded: hash) && matches(index, key) { return (index, false) }
            slot = (slot + 1) & mask
        }
        let index = hashes.count
        slots[slot] = Int32(index)
        hashes.append(UInt32(truncatingIfNeeded: hash))
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
        let size = slots.count * 2
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        for index in hashes.indices {
            var slot = Self.slot(of: bytes(at: index), mask: mask)
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }

    private static func slot(of key: ArraySlice<UInt8>, mask: Int) -> Int {
        Int(truncatingIfNeeded: hash(key)) & mask
    }

    /// FNV-1a, 64 bits, with a final mix so that the low bits (the slot) depend on every byte.
    static func hash(_ key: some Collection<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }
}

/// Whether `count` bytes at two addresses are equal.
private func memcmpEqual(_ left: UnsafePointer<UInt8>, _ right: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
    guard let right else { return count == 0 }
    for offset in 0..<count where left[offset] != right[offset] { return false }
    return true
}
