import Sluice

/// What a cache table holds, as Sluice recorded it with the latest version: every data key with the digest of
/// its row (the sum of its rows' digests and their count, for a stream).
///
/// The state is what makes counts and checksums exact on a store without transactions: a load classifies each
/// row as new, changed or unchanged against it, without reading values back. It is written as binary chunks
/// (``encodeChunks(maximumBytes:)``) under keys named by the version, before the version record.
struct CacheTableState: Sendable {
    private(set) var keys: ByteKeyTable
    private(set) var digests: [ContentChecksum] = []
    /// Rows per key; 0 for a key removed from the table.
    private(set) var rows: [Int32] = []

    /// An empty state with room for about `capacity` keys.
    init(capacity: Int = 0) {
        keys = ByteKeyTable(capacity: capacity)
        digests.reserveCapacity(capacity)
        rows.reserveCapacity(capacity)
    }

    /// A state of one row per key of `keys`, with `digests` by key index.
    init(keys: ByteKeyTable, digests: [ContentChecksum]) {
        self.keys = keys
        self.digests = digests
        rows = Array(repeating: 1, count: digests.count)
    }

    /// Keys ever inserted (removed ones included): the bound of indexes.
    var count: Int { keys.count }

    /// The index of `key`, if the table holds it.
    func index(of key: [UInt8]) -> Int? {
        guard let index = keys.index(of: key), rows[index] > 0 else { return nil }
        return index
    }

    /// Sets `key`'s digest and rows (inserting it if needed); returns its index.
    @discardableResult
    mutating func set(_ key: [UInt8], digest: ContentChecksum, rows count: Int) -> Int {
        let (index, inserted) = keys.insert(key)
        if inserted {
            digests.append(digest)
            rows.append(Int32(count))
        } else {
            digests[index] = digest
            rows[index] = Int32(count)
        }
        return index
    }

    /// Sets the digest of the key at `index`.
    mutating func setDigest(_ digest: ContentChecksum, at index: Int) { digests[index] = digest }

    /// Removes the key at `index` from the table.
    mutating func remove(at index: Int) {
        rows[index] = 0
        digests[index] = .zero
    }

    /// Whether the key at `index` is in the table.
    func isLive(_ index: Int) -> Bool { rows[index] > 0 }

    /// The key at `index` as text.
    func key(at index: Int) -> String { keys.text(at: index) }

    /// The bytes of the key at `index`.
    func keyBytes(at index: Int) -> [UInt8] { Array(keys.bytes(at: index)) }

    /// The keys in the table, as text.
    var liveKeys: [String] { (0..<count).filter(isLive).map(key(at:)) }

    /// The sum of every key's digest: the table's checksum.
    var checksum: ContentChecksum { digests.reduce(into: .zero) { $0.add($1) } }

    /// The rows in the table.
    var rowCount: Int { rows.reduce(0) { $0 + Int($1) } }

    private static let magic = Array("SLUICE-STATE-1\n".utf8)

    /// The live entries as chunks of at most about `maximumBytes`: a magic line, then per entry the key's length
    /// (4 bytes, big-endian), the key, the row count (4 bytes) and the 32-byte digest.
    func encodeChunks(maximumBytes: Int = 4 << 20) -> [[UInt8]] {
        var chunks: [[UInt8]] = []
        var chunk = Self.magic
        chunk.reserveCapacity(min(maximumBytes + 4096, count * 64 + 64))
        for index in 0..<count where rows[index] > 0 {
            if chunk.count > maximumBytes {
                chunks.append(chunk)
                chunk = Self.magic
            }
            let key = keys.bytes(at: index)
            Self.appendUInt32(UInt32(key.count), to: &chunk)
            chunk.append(contentsOf: key)
            Self.appendUInt32(UInt32(rows[index]), to: &chunk)
            let limbs = digests[index].limbs
            withUnsafeBytes(
                of: (limbs.0.bigEndian, limbs.1.bigEndian, limbs.2.bigEndian, limbs.3.bigEndian)
            ) { chunk.append(contentsOf: $0) }
        }
        chunks.append(chunk)
        return chunks
    }

    /// Adds the entries of one chunk.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`targetFailure`) naming `name` when the chunk is damaged.
    mutating func decode(chunk bytes: [UInt8], name: String) throws {
        guard bytes.starts(with: Self.magic) else {
            throw SluiceError(.targetFailure, "\(name): not a Sluice key state (damaged or written by another tool)")
        }
        var offset = Self.magic.count
        func uint32() throws -> Int {
            guard offset + 4 <= bytes.count else {
                throw SluiceError(.targetFailure, "\(name): the key state is truncated at byte \(offset)")
            }
            defer { offset += 4 }
            return Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8
                | Int(bytes[offset + 3])
        }
        while offset < bytes.count {
            let length = try uint32()
            guard offset + length + 4 + 32 <= bytes.count else {
                throw SluiceError(.targetFailure, "\(name): the key state is truncated at byte \(offset)")
            }
            let key = Array(bytes[offset..<offset + length])
            offset += length
            let rows = try uint32()
            let digest = bytes.withUnsafeBytes { raw in
                ContentChecksum(digestBytes: UnsafeRawBufferPointer(rebasing: raw[offset..<offset + 32]))
            }
            offset += 32
            set(key, digest: digest, rows: rows)
        }
    }

    private static func appendUInt32(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value >> 24))
        bytes.append(UInt8(value >> 16 & 0xFF))
        bytes.append(UInt8(value >> 8 & 0xFF))
        bytes.append(UInt8(value & 0xFF))
    }
}
