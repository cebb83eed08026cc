/// Names Sluice makes up for indexes and partitions, kept within PostgreSQL's identifier limit.
enum PostgresIdentifier {
    /// The longest identifier PostgreSQL keeps (`NAMEDATALEN - 1`); longer names are silently truncated by the
    /// server, which could make two different names collide.
    static let maximumBytes = 63

    /// `base + suffix` when it fits in ``maximumBytes`` bytes of UTF-8; otherwise the longest prefix of `base` (whole
    /// characters) followed by `_`, eight hex digits of a hash of the whole of `base`, and `suffix`.
    ///
    /// Deterministic: the same `base` and `suffix` always give the same name, and two bases that share a long
    /// prefix still get different names.
    static func fitted(_ base: String, suffix: String = "") -> String {
        guard base.utf8.count + suffix.utf8.count > maximumBytes else { return base + suffix }
        let hash = "_" + hex(fnv1a(base))
        let room = maximumBytes - suffix.utf8.count - hash.utf8.count
        var prefix = ""
        var bytes = 0
        for character in base {
            let size = character.utf8.count
            guard bytes + size <= room else { break }
            prefix.append(character)
            bytes += size
        }
        return prefix + hash + suffix
    }

    /// The name of the index on `table`'s `columns`: `prices_symbol_date_idx`, shortened by ``fitted(_:suffix:)``.
    static func index(table: String, columns: [String]) -> String {
        fitted(([table] + columns).joined(separator: "_"), suffix: "_idx")
    }

    /// The name of `table`'s partition with `suffix` (`prices_2024_01`), shortened by ``fitted(_:suffix:)``.
    static func partition(table: String, suffix: String) -> String {
        fitted(table, suffix: "_" + suffix)
    }

    /// 32 bits of the 64-bit FNV-1a hash of `text`'s UTF-8 bytes.
    static func fnv1a(_ text: String) -> UInt32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }
}
