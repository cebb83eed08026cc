/// The names Sluice makes up from a table's name — history and row-hash tables, indexes, partitions, primary keys —
/// each kept within PostgreSQL's identifier limit by ``fitted(_:suffix:)``, so the server never truncates one.
///
/// PostgreSQL silently cuts an identifier to ``maximumBytes`` bytes: two long names that differ only after that
/// would name one object. The names users give (tables, columns) are refused past the limit
/// (``check(table:)``); the names derived from them are fitted here, deterministically.
enum PostgresIdentifier {
    /// The longest identifier PostgreSQL keeps (`NAMEDATALEN - 1`); longer names are silently truncated by the
    /// server, which could make two different names collide.
    static let maximumBytes = 63

    /// `base + suffix` when it fits in ``maximumBytes`` bytes of UTF-8; otherwise the longest prefix of `base` (whole
    /// characters) followed by `_`, eight hex digits of a hash of the whole of `base`, and `suffix`.
    ///
    /// Deterministic: the same `base` and `suffix` always give the same name, and two bases that share a long
    /// prefix still get different names. A name that fits is returned unchanged, so the names of tables that were
    /// short enough before this function existed stay what they were.
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

    /// The name of `table`'s history table: `_sluice_history_prices`, shortened by ``fitted(_:suffix:)`` for table
    /// names over 47 bytes.
    static func history(of table: String) -> String {
        fitted("_sluice_history_" + table)
    }

    /// The name of `table`'s row-hash table: `_sluice_row_hashes_prices`, shortened by ``fitted(_:suffix:)``.
    static func rowHashes(of table: String) -> String {
        fitted("_sluice_row_hashes_" + table)
    }

    /// The name to give `table`'s primary key, or `nil` to let the server name it.
    ///
    /// The server names an unnamed primary key `<table>_pkey`; when that fits, Sluice leaves it unnamed (the same
    /// name as always). When it does not, the server would shorten it its own way and pick a free one by trying
    /// numbered variants, which depends on what else exists; Sluice gives ``fitted(_:suffix:)``'s name instead.
    static func primaryKey(of table: String) -> String? {
        explicitName(table, suffix: "_pkey")
    }

    /// `[CONSTRAINT "<name>"] PRIMARY KEY ("k1", "k2")` for `table`, named by ``primaryKey(of:)`` when the server's
    /// own name would not fit.
    static func primaryKeyClause(of table: String, columns: [String]) -> String {
        let name = primaryKey(of: table).map { "CONSTRAINT \(PostgresSyntax.quote($0)) " }
        return (name ?? "") + "PRIMARY KEY (\(PostgresSyntax.list(columns)))"
    }

    /// The name to give the index on a history table's version and operation columns, or `nil` to let the server
    /// name it (`<history>__sluice_version__sluice_op_idx`, the name it has always had, when that fits).
    static func historyIndex(of history: String) -> String? {
        explicitName(history + "__sluice_version__sluice_op", suffix: "_idx")
    }

    /// `base + suffix` is the server's own name for the object: `nil` (leave it to the server) when that fits,
    /// else the fitted name.
    private static func explicitName(_ base: String, suffix: String) -> String? {
        base.utf8.count + suffix.utf8.count > maximumBytes ? fitted(base, suffix: suffix) : nil
    }

    /// `name` as the server keeps it: cut to at most ``maximumBytes`` bytes between code points (the server's
    /// `truncate_identifier` cuts between characters of the database encoding, UTF-8 here).
    static func truncatedByServer(_ name: String) -> String {
        var kept = String.UnicodeScalarView()
        var bytes = 0
        for scalar in name.unicodeScalars {
            let size = String(scalar).utf8.count
            guard bytes + size <= maximumBytes else { break }
            kept.append(scalar)
            bytes += size
        }
        return String(kept)
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
