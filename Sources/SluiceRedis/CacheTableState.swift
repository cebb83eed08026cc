import Sluice

/// What a cache table holds, as Sluice recorded it with the latest version: every data key with the digest of
/// its row (the sum of its rows' digests and their count, for a stream).
///
/// The state is what makes counts and checksums exact on a store without transactions: a load classifies each
/// row as new, changed or unchanged against it, without reading values back. It is written as binary chunks
/// (``encodeChunks(maximumBytes:)``) under keys named by the version, before the version record.
struct CacheTableState: Sendable {
    /// A key's rows: one for a value, any number for a stream.
    struct Entry: Sendable, Hashable {
        var digest: ContentChecksum
        var rows: Int
    }

    var entries: [String: Entry] = [:]

    /// The sum of every entry's digest: the table's checksum.
    var checksum: ContentChecksum { entries.values.reduce(into: .zero) { $0.add($1.digest) } }

    /// The rows in the table.
    var rowCount: Int { entries.values.reduce(0) { $0 + $1.rows } }

    private static let magic = Array("SLUICE-STATE-1\n".utf8)

    /// The entries as chunks of at most about `maximumBytes`: a magic line, then per entry the key's length
    /// (4 bytes, big-endian), the key, the row count (4 bytes) and the 32-byte digest.
    func encodeChunks(maximumBytes: Int = 4 << 20) -> [[UInt8]] {
        var chunks: [[UInt8]] = []
        var chunk = Self.magic
        for (key, entry) in entries {
            if chunk.count > maximumBytes {
                chunks.append(chunk)
                chunk = Self.magic
            }
            let utf8 = Array(key.utf8)
            Self.appendUInt32(UInt32(utf8.count), to: &chunk)
            chunk += utf8
            Self.appendUInt32(UInt32(entry.rows), to: &chunk)
            let limbs = entry.digest.limbs
            for limb in [limbs.0, limbs.1, limbs.2, limbs.3] {
                for shift in stride(from: 56, through: 0, by: -8) {
                    chunk.append(UInt8(truncatingIfNeeded: limb >> UInt64(shift)))
                }
            }
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
            let key = String(decoding: bytes[offset..<offset + length], as: UTF8.self)
            offset += length
            let rows = try uint32()
            let digest = ContentChecksum(digest: bytes[offset..<offset + 32])
            offset += 32
            entries[key] = Entry(digest: digest, rows: rows)
        }
    }

    private static func appendUInt32(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value >> 24))
        bytes.append(UInt8(value >> 16 & 0xFF))
        bytes.append(UInt8(value >> 8 & 0xFF))
        bytes.append(UInt8(value & 0xFF))
    }
}
