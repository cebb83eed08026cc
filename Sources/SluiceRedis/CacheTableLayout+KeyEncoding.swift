import Sluice

extension CacheTableLayout {
    /// The layout a load of a table created before key escaping existed writes with: the same keys, now escaped.
    ///
    /// Escaping changes no key whose values, table name and namespace hold no separator, so such a table is
    /// upgraded in place: its version records `redis.key_encoding=escaped` and nothing is rewritten. A table whose
    /// names or recorded keys hold a separator cannot be: its rows may already have overwritten each other (two
    /// key values that differ only in where a `:` falls made one key), so the load is refused, and the table has
    /// to be flushed and loaded again.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`invalidRequest`) naming the table, a key and what to do.
    func upgradingKeyEncoding(
        state: CacheTableState,
        namespace: String,
        table: String,
        keyColumns: [String]
    ) throws -> CacheTableLayout {
        guard !escapesKeys else { return self }
        try template.checkDecodable(table: table)
        let escaping = template.escaping
        let advice =
            "flush its keys (sluice cache flush --namespace \(namespace), or UNLINK them) and load it again"
        for (what, name) in [("namespace", namespace), ("table name", table)]
        where escaping.needsEscaping(Array(name.utf8)) {
            throw SluiceError(
                .invalidRequest,
                "table '\(table)' was written before Sluice escaped key separators, and its \(what) '\(name)' holds "
                    + "one, so its keys may be shared with another table's; \(advice)"
            )
        }
        let expected = expectedSeparators(namespace: namespace, table: table, keyColumns: keyColumns, escaping)
        var ambiguous = 0
        var first: String?
        for index in 0..<state.count where state.isLive(index) {
            let key = state.keyBytes(at: index)
            guard key.reduce(0, { $0 + (escaping.isSpecial($1) ? 1 : 0) }) != expected else { continue }
            ambiguous += 1
            if first == nil { first = String(decoding: key, as: UTF8.self) }
        }
        if let first {
            throw SluiceError(
                .invalidRequest,
                "table '\(table)' was written before Sluice escaped key separators, and \(ambiguous) of its keys hold "
                    + "a separator in a value (first: \(first)), so rows may already have overwritten each other; "
                    + advice
            )
        }
        var upgraded = self
        upgraded.escapesKeys = true
        return upgraded
    }

    /// How many separator bytes a key holds when none of its values does.
    private func expectedSeparators(
        namespace: String,
        table: String,
        keyColumns: [String],
        _ escaping: CacheKeyEscaping
    ) -> Int {
        func count(_ bytes: some Sequence<UInt8>) -> Int { bytes.reduce(0) { $0 + (escaping.isSpecial($1) ? 1 : 0) } }
        var total = 0
        for part in template.parts {
            switch part {
            case .literal(let bytes): total += count(bytes)
            case .namespace: total += count(namespace.utf8)
            case .table: total += count(table.utf8)
            case .key: total += max(keyColumns.count - 1, 0)
            case .column: break
            }
        }
        return total
    }
}
