import Foundation
import RESP
import Sluice

/// A `redis://` or `rediss://` target: where the server is (``connection``) and how Sluice lays a table out in
/// it (namespace, key template, value format, TTLs, the largest value).
///
/// Sluice's options travel in the URL's query, beside the connection's own (`ca=`, `verify=`, `name=`):
///
/// - `namespace=md` — the first part of every key (default `sluice`);
/// - `cluster=true` — a Redis Cluster (also implied by several hosts: `redis://h1:7000,h2:7001`);
/// - `key_template=T` — ``CacheKeyTemplate`` (default `{namespace}:{table}:{key}`);
/// - `value_format=json|msgpack|string[:COLUMN]|hash` — ``CacheValueFormat`` (default `json`);
/// - `ttl=300` — this load's TTL for every key, over any rule; `default_ttl=1d` — the TTL of keys no rule covers;
///   `ttl_rule=price:*=300` (repeatable) and `ttl_rules=FILE` — pattern rules; `keep_ttl=true` — updates keep a
///   key's TTL (`SET … KEEPTTL`);
/// - `max_value_bytes=N` — refuse a row whose value is larger (default 1 MiB);
/// - `lock_ttl=30s` — how long a table's lock outlives a loader that died without releasing it (default 10
///   minutes; a running load renews it every third of that);
/// - `lock_timeout=2m` — how long a load or read waits for another's lock of its table before it fails (default 10
///   minutes).
public struct RedisTarget: Sendable {
    /// The server and login.
    public var connection: RedisURL
    /// Whether the server is a Redis Cluster.
    public var isCluster: Bool
    /// The first part of every key.
    public var namespace: String
    /// How keys are made, or `nil` for the table's own (the default for a new table).
    public var keyTemplate: CacheKeyTemplate?
    /// How rows are stored, or `nil` for the table's own (JSON for a new table).
    public var valueFormat: CacheValueFormat?
    /// Which TTL each key gets.
    public var ttl: TTLPolicy
    /// The largest value a row may have, in bytes.
    public var maximumValueBytes: Int
    /// How long a table's lock lives when its loader stops renewing it (it died): the longest a crashed load
    /// blocks the table's next one. Default 10 minutes.
    public var lockLifetime: Duration
    /// How long a load or read waits for the table's lock while another holds it, before it fails naming the holder.
    /// Default 10 minutes.
    public var lockTimeout: Duration

    /// The default largest value: 1 MiB.
    public static let defaultMaximumValueBytes = 1 << 20

    /// Parses `url`; errors never repeat the URL (it may hold a password).
    ///
    /// - Throws: ``Sluice/SluiceError`` (`invalidRequest`) naming the bad option.
    public init(_ url: String) throws {
        // The user information ends at the last `@` (URLRedaction): a password may hold `?`, `#` or `/`, so it is
        // set aside before the query is read, and put back for the connection.
        let schemeEnd = url.range(of: "://")?.upperBound ?? url.startIndex
        let scheme = String(url[..<schemeEnd])
        let (userInfo, rest) = URLRedaction.splitUserInfo(url[schemeEnd...])
        var text = scheme + rest
        var isCluster = false
        // Several hosts (`redis://h1:7000,h2:7001/0`): the first is the seed of a cluster.
        if let authority = Self.authorityRange(of: text), text[authority].contains(",") {
            text.replaceSubrange(authority, with: text[authority].split(separator: ",").first ?? "")
            isCluster = true
        }
        var components = URLComponents(string: text)
        var passed: [URLQueryItem] = []
        var namespace = "sluice"
        var ttl = TTLPolicy()
        var template: CacheKeyTemplate?
        var format: CacheValueFormat?
        var maximumValueBytes = Self.defaultMaximumValueBytes
        var lockLifetime = Duration.seconds(600)
        var lockTimeout = Duration.seconds(600)
        for item in components?.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "namespace":
                guard !value.isEmpty, !value.contains(where: { "{}*?[]".contains($0) || $0.isWhitespace }) else {
                    throw SluiceError(
                        .invalidRequest,
                        "namespace= '\(value)': expected a name without spaces, braces or glob characters"
                    )
                }
                namespace = value
            case "cluster": isCluster = try Self.flag(item)
            case "key_template": template = try CacheKeyTemplate(value)
            case "value_format": format = try CacheValueFormat(parsing: value)
            case "ttl": ttl.loadSeconds = try Self.duration(item)
            case "default_ttl": ttl.defaultSeconds = try Self.duration(item)
            case "ttl_rule": ttl.rules.append(try TTLRule(parsing: value))
            case "ttl_rules": ttl.rules += try TTLPolicy.rules(fromFile: value)
            case "keep_ttl": ttl.keepTTLOnUpdate = try Self.flag(item)
            case "max_value_bytes":
                guard let bytes = Int(value), bytes > 0 else {
                    throw SluiceError(
                        .invalidRequest,
                        "max_value_bytes= '\(value)': expected a number of bytes above 0"
                    )
                }
                maximumValueBytes = bytes
            case "lock_ttl": lockLifetime = .seconds(try Self.duration(item))
            case "lock_timeout": lockTimeout = .seconds(try Self.duration(item))
            default: passed.append(item)
            }
        }
        components?.queryItems = passed.isEmpty ? nil : passed
        let address = (components?.string ?? text).dropFirst(scheme.count)
        do {
            connection = try RedisURL(scheme + (userInfo.map { $0 + "@" } ?? "") + address)
        } catch {
            throw SluiceError(.invalidRequest, "Redis target: \(error.message)", underlying: error)
        }
        if isCluster && connection.database != 0 {
            throw SluiceError(
                .invalidRequest,
                "a Redis Cluster has only database 0 (the URL names \(connection.database))"
            )
        }
        self.isCluster = isCluster
        self.namespace = namespace
        self.keyTemplate = template
        self.valueFormat = format
        self.ttl = ttl
        self.maximumValueBytes = maximumValueBytes
        self.lockLifetime = lockLifetime
        self.lockTimeout = lockTimeout
    }

    /// The target with the password hidden.
    public var redacted: String { connection.redacted + (isCluster ? " (cluster)" : "") }

    /// The range of the host list (user info included) in a `scheme://…` URL.
    private static func authorityRange(of url: String) -> Range<String.Index>? {
        guard let start = url.range(of: "://")?.upperBound else { return nil }
        let end = url[start...].firstIndex { $0 == "/" || $0 == "?" } ?? url.endIndex
        return start..<end
    }

    private static func flag(_ item: URLQueryItem) throws -> Bool {
        switch item.value?.lowercased() ?? "true" {
        case "true", "1", "yes", "": return true
        case "false", "0", "no": return false
        default:
            throw SluiceError(.invalidRequest, "\(item.name)= '\(item.value ?? "")': expected true or false")
        }
    }

    private static func duration(_ item: URLQueryItem) throws -> Int {
        guard let seconds = TTLPolicy.seconds(item.value ?? "") else {
            throw SluiceError(
                .invalidRequest,
                "\(item.name)= '\(item.value ?? "")': expected a duration above 0 (300, 300s, 5m, 2h, 1d)"
            )
        }
        return seconds
    }
}
