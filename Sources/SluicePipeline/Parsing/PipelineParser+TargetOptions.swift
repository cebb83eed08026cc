import Sluice

extension PipelineParser {
    static let fileFormats = ["parquet", "csv", "tsv", "json", "jsonl"]
    static let fileCompressions = ["none", "gzip", "bzip2", "lz4", "zstd", "snappy", "lz4_raw"]

    /// A file target's writing options among `keys` (`format`, `compression`, `level`, `file_mb`), checked, as
    /// URL options; reported when the target is not `file:`.
    mutating func fileOptions(
        _ fields: Fields,
        keys: [String],
        target: PipelineTarget?
    ) -> [(name: String, value: String)] {
        var options: [(name: String, value: String)] = []
        for pair in fields.pairs where keys.contains(pair.key) && !pair.value.isNull {
            let value: String?
            switch pair.key {
            case "format": value = choice(fields, "format", among: Self.fileFormats)?.value
            case "compression": value = choice(fields, "compression", among: Self.fileCompressions)?.value
            case "level": value = integer(fields, "level", in: -7...22).map(String.init)
            default: value = integer(fields, "file_mb", in: 1...1_000_000).map(String.init)
            }
            guard let value, let target else { continue }
            guard scheme(of: target) == "file" else {
                diagnostics.error(
                    pair.keyLocation,
                    "\(fields.context): '\(pair.key)' describes a file target's data files, and \(target.redacted) is not one (file:DIR)"
                )
                continue
            }
            let name = pair.key == "file_mb" ? "file_mb" : pair.key
            if URLOptions.names(in: target.url).contains(name) {
                diagnostics.error(
                    pair.keyLocation,
                    "\(fields.context): the target URL sets '\(name)' already; give it once"
                )
                continue
            }
            options.append((name, value))
        }
        return options
    }

    /// A Redis target's key and TTL options, checked, as URL options; reported when the target is not Redis.
    mutating func cacheOptions(_ fields: Fields, target: PipelineTarget?) -> [(name: String, value: String)] {
        var options: [(name: String, value: String)] = []
        for pair in fields.pairs where JobKeys.cache.contains(pair.key) && !pair.value.isNull {
            let values = cacheValues(fields, pair.key)
            guard !values.isEmpty, let target else { continue }
            guard ["redis", "rediss"].contains(scheme(of: target)) else {
                diagnostics.error(
                    pair.keyLocation,
                    "\(fields.context): '\(pair.key)' describes a Redis target, and \(target.redacted) is not one (redis://HOST:PORT/DB)"
                )
                continue
            }
            let name = ["ttl_rules": "ttl_rule", "ttl_rules_file": "ttl_rules"][pair.key] ?? pair.key
            options += values.map { (name, $0) }
        }
        return options
    }

    private mutating func cacheValues(_ fields: Fields, _ key: String) -> [String] {
        switch key {
        case "ttl", "default_ttl":
            guard let text = string(fields[key], key, in: fields.context) else { return [] }
            guard Durations.seconds(text.value) != nil else {
                diagnostics.error(
                    text.location,
                    "\(fields.context): '\(key)' must be a duration above 0 (300, 300s, 5m, 2h, 1d), found '\(text.value)'"
                )
                return []
            }
            return [text.value]
        case "ttl_rules": return ttlRules(fields)
        case "keep_ttl": return boolean(fields, key) == true ? ["true"] : []
        case "max_value_bytes": return integer(fields, key, in: 1...Int.max).map { [String($0)] } ?? []
        case "value_format":
            guard let text = string(fields[key], key, in: fields.context) else { return [] }
            let lowered = text.value.lowercased()
            guard
                ["json", "msgpack", "messagepack", "string", "hash"].contains(lowered) || lowered.hasPrefix("string:")
            else {
                let hint = Suggestion.didYouMean(text.value, among: ["json", "msgpack", "string", "hash"])
                diagnostics.error(
                    text.location,
                    "\(fields.context): unknown value_format '\(text.value)'\(hint); expected json, msgpack, string, string:COLUMN or hash"
                )
                return []
            }
            return [text.value]
        default:
            return string(fields[key], key, in: fields.context).map { [$0.value] } ?? []
        }
    }

    /// `ttl_rules:` — a mapping of key patterns to durations, or a list of `PATTERN=DURATION`.
    private mutating func ttlRules(_ fields: Fields) -> [String] {
        guard let node = fields["ttl_rules"] else { return [] }
        var rules: [(pattern: String, duration: Located<String>)] = []
        if let pairs = node.pairs {
            for pair in pairs {
                if let duration = string(pair.value, "ttl_rules", in: fields.context) {
                    rules.append((pair.key, duration))
                }
            }
        } else {
            for item in list(fields, "ttl_rules", splitsCommas: false) ?? [] {
                guard let equals = item.value.lastIndex(of: "="), equals != item.value.startIndex else {
                    diagnostics.error(
                        item.location,
                        "\(fields.context): TTL rule '\(item.value)': expected PATTERN=DURATION (e.g. 'md:prices:*=1d')"
                    )
                    continue
                }
                let duration = String(item.value[item.value.index(after: equals)...])
                rules.append((String(item.value[..<equals]), Located(duration, at: item.location)))
            }
        }
        return rules.compactMap { rule in
            guard Durations.seconds(rule.duration.value) != nil else {
                diagnostics.error(
                    rule.duration.location,
                    "\(fields.context): TTL of '\(rule.pattern)' must be a duration above 0 (300, 5m, 2h, 1d), found '\(rule.duration.value)'"
                )
                return nil
            }
            return rule.pattern + "=" + rule.duration.value
        }
    }

    private func scheme(of target: PipelineTarget) -> String? { (try? TargetURL(target.url))?.scheme }
}
