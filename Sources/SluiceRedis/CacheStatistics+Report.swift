extension CacheStatistics {
    /// Keys the sample measured (over all patterns).
    public var sampledKeys: Int { patterns.reduce(0) { $0 + $1.sampledKeys } }

    /// How many keys of the database `pattern` holds, estimated: its sampled keys scaled by the database's keys
    /// over the sampled keys (exact when the sample saw every key).
    public func estimatedKeys(of pattern: PatternMemory) -> Int64 {
        Int64((Double(pattern.sampledKeys) * scale).rounded())
    }

    /// How many bytes the keys of `pattern` take in the whole database, estimated like ``estimatedKeys(of:)``.
    public func estimatedBytes(of pattern: PatternMemory) -> Int64 {
        Int64((Double(pattern.sampledBytes) * scale).rounded())
    }

    /// Keys in the database per sampled key (at least 1).
    private var scale: Double {
        let sampled = sampledKeys
        guard sampled > 0, keys > Int64(sampled) else { return 1 }
        return Double(keys) / Double(sampled)
    }

    /// The server-wide and database figures by name (`hit_ratio`, `used_memory`, `keys_without_ttl`, …), as text
    /// ready to print; sizes in bytes, the hit ratio as a fraction (`-` before any lookup).
    public var details: [String: String] {
        [
            "hit_ratio": hitRatio.map { ReportText.decimal($0, places: 4) } ?? "-",
            "hits": "\(hits)",
            "misses": "\(misses)",
            "used_memory": "\(usedMemory)",
            "max_memory": "\(maxMemory)",
            "eviction_policy": evictionPolicy,
            "evicted_keys": "\(evictedKeys)",
            "keys": "\(keys)",
            "keys_with_ttl": "\(keysWithTTL)",
            "keys_without_ttl": "\(keysWithoutTTL)",
            "sampled_keys": "\(sampledKeys)",
        ]
    }

    /// The report for a terminal: hit ratio, memory, keys with and without a TTL, evictions, then memory per
    /// pattern (sampled keys, keys without TTL, bytes per key, estimated keys and memory) and the biggest keys.
    /// ``recommendations`` are not included.
    public var summaryLines: [String] {
        var lines = ReportText.aligned(overview, numbersRight: false)
        if !patterns.isEmpty {
            var rows = [["pattern", "sampled keys", "without TTL", "bytes/key", "est. keys", "est. memory"]]
            for pattern in patterns {
                rows.append([
                    pattern.pattern, ReportText.count(Int64(pattern.sampledKeys)),
                    ReportText.count(Int64(pattern.sampledWithoutTTL)),
                    ReportText.count(Int64(pattern.bytesPerKey.rounded())),
                    ReportText.count(estimatedKeys(of: pattern)),
                    ReportText.bytes(estimatedBytes(of: pattern)),
                ])
            }
            lines += [""] + ReportText.aligned(rows, numbersRight: true)
        }
        if !biggestKeys.isEmpty {
            let rows = [["biggest keys", "memory"]] + biggestKeys.map { [$0.key, ReportText.bytes($0.bytes)] }
            lines += [""] + ReportText.aligned(rows, numbersRight: true)
        }
        return lines
    }

    /// The overview's label and value pairs.
    private var overview: [[String]] {
        let ratio = hitRatio.map {
            ReportText.percent($0) + " (\(ReportText.count(hits)) hits, \(ReportText.count(misses)) misses)"
        }
        let limit = maxMemory > 0 ? "of \(ReportText.bytes(maxMemory)) maxmemory" : "(no maxmemory)"
        let sampled = Int64(sampledKeys)
        let share = keys > 0 ? " (" + ReportText.percent(min(1, Double(sampled) / Double(keys))) + " of the keys)" : ""
        return [
            ["hit ratio", ratio ?? "- (no lookups yet)"],
            ["used memory", "\(ReportText.bytes(usedMemory)) \(limit), policy \(evictionPolicy)"],
            [
                "keys",
                "\(ReportText.count(keys)): \(ReportText.count(keysWithTTL)) with a TTL, "
                    + "\(ReportText.count(keysWithoutTTL)) without",
            ],
            ["evicted keys", ReportText.count(evictedKeys)],
            ["sample", "\(ReportText.count(sampled)) keys\(share)"],
        ]
    }
}

/// Locale-independent number text for the cache report.
private enum ReportText {
    /// `1234567` → `1,234,567`.
    static func count(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var text = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }

    /// `value` with exactly `places` decimals.
    static func decimal(_ value: Double, places: Int) -> String {
        guard value.isFinite else { return "-" }
        var factor = 1.0
        for _ in 0..<places { factor *= 10 }
        let scaled = Int64((value * factor).rounded())
        let whole = scaled / Int64(factor)
        guard places > 0 else { return String(whole) }
        let fraction = String(scaled.magnitude % UInt64(factor))
        return "\(scaled < 0 && whole == 0 ? "-" : "")\(whole)."
            + String(repeating: "0", count: places - fraction.count)
            + fraction
    }

    /// `0.9876` → `98.8%`.
    static func percent(_ fraction: Double) -> String { decimal(fraction * 100, places: 1) + "%" }

    /// `512 B`, `3.4 MB`.
    static func bytes(_ value: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1024 && unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        return unit == 0 ? "\(value) B" : decimal(amount, places: 1) + " " + units[unit]
    }

    /// Rows as lines with aligned columns, two spaces apart; with `numbersRight`, every column but the first is
    /// aligned right.
    static func aligned(_ rows: [[String]], numbersRight: Bool) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return rows.map { row in
            var line = ""
            for (index, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                if index > 0 { line += "  " }
                line += numbersRight && index > 0 ? pad + cell : cell + pad
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}
