import ArgumentParser
import Foundation
import Sluice
import SluicePipeline

/// How a Redis target lays rows out: `--namespace`, `--key-template`, `--value-format`, `--ttl`, `--ttl-rule`,
/// `--ttl-rules`, `--keep-ttl`, `--max-value-bytes`, `--lock-timeout`. They become the Redis URL's options
/// (`redis://host:6379/0?namespace=md&ttl=300`); other targets refuse them.
struct CacheOptions: ParsableArguments {
    @Option(help: "Redis targets: the first part of every key (default sluice).")
    var namespace: String?

    @Option(
        name: .customLong("key-template"),
        help: "Redis targets: how keys are made (default {namespace}:{table}:{key}; {COLUMN} for any column)."
    )
    var keyTemplate: String?

    @Option(
        name: .customLong("value-format"),
        help: "Redis targets: json (default), msgpack, string, string:COLUMN or hash."
    )
    var valueFormat: String?

    @Option(help: "Redis targets: this load's TTL for every key (300, 5m, 2h, 1d), over any --ttl-rule.")
    var ttl: String?

    @Option(
        name: .customLong("ttl-rule"),
        help: "Redis targets: PATTERN=TTL for keys matching a glob (repeatable: --ttl-rule 'md:prices:*=300')."
    )
    var ttlRules: [String] = []

    @Option(
        name: .customLong("ttl-rules"),
        help: "Redis targets: a file of rules, one 'PATTERN TTL' per line (# comments)."
    )
    var ttlRulesFile: String?

    @Option(name: .customLong("default-ttl"), help: "Redis targets: the TTL of keys no rule covers.")
    var defaultTTL: String?

    @Flag(name: .customLong("keep-ttl"), help: "Redis targets: updates keep a key's TTL (SET … KEEPTTL).")
    var keepTTL = false

    @Option(name: .customLong("max-value-bytes"), help: "Redis targets: refuse a row whose value is larger.")
    var maximumValueBytes: Int?

    @Option(
        name: .customLong("lock-timeout"),
        help: "Redis targets: how long to wait for another load's lock of the table (2s, 5m; default 10m)."
    )
    var lockTimeout: String?

    /// The options as URL query items (values percent-encoded), in a fixed order.
    var queryItems: [String] {
        var items: [(String, String)] = []
        if let namespace { items.append(("namespace", namespace)) }
        if let keyTemplate { items.append(("key_template", keyTemplate)) }
        if let valueFormat { items.append(("value_format", valueFormat)) }
        if let ttl { items.append(("ttl", ttl)) }
        if let defaultTTL { items.append(("default_ttl", defaultTTL)) }
        for rule in ttlRules { items.append(("ttl_rule", rule)) }
        if let ttlRulesFile { items.append(("ttl_rules", ttlRulesFile)) }
        if keepTTL { items.append(("keep_ttl", "true")) }
        if let maximumValueBytes { items.append(("max_value_bytes", String(maximumValueBytes))) }
        if let lockTimeout { items.append(("lock_timeout", lockTimeout)) }
        return URLOptions.encoded(items.map { (name: $0.0, value: $0.1) })
    }

    /// `url` with these options added to its query; `url` itself when none is given.
    ///
    /// - Throws: `ValidationError` when options are given for a target that is not a Redis target.
    func applied(to url: String) throws -> String {
        let items = queryItems
        guard !items.isEmpty else { return url }
        guard let target = try? TargetURL(url), target.scheme == "redis" || target.scheme == "rediss" else {
            throw ValidationError(
                "--namespace, --key-template, --value-format, --ttl, --ttl-rule, --ttl-rules, --default-ttl, "
                    + "--keep-ttl, --max-value-bytes and --lock-timeout describe a Redis target (--into redis://HOST:PORT/DB)"
            )
        }
        return url + (URLOptions.hasQuery(url) ? "&" : "?") + items.joined(separator: "&")
    }
}
