import Foundation

/// Where a Redis server is and how to log in: `redis://[user:password@]host[:port][/db]` or `rediss://…` (TLS).
///
/// Query options: `ca=/path/ca.pem` (trust these roots instead of the system's), `verify=full|ca|none` (TLS
/// verification; default `full`: chain and host name), `name=client-name` (`CLIENT SETNAME`).
/// ``description`` and ``redacted`` show `***` for the password; no error message of this module contains it.
public struct RedisURL: Sendable, Hashable, CustomStringConvertible {
    /// Whether the connection uses TLS (`rediss://`).
    public var usesTLS: Bool
    /// The host name or address.
    public var host: String
    /// The port; default 6379.
    public var port: Int
    /// The ACL user; `nil` logs in as `default` when a password is given.
    public var username: String?
    /// The password, if any.
    public var password: String?
    /// The database number (`SELECT`); default 0.
    public var database: Int
    /// The `ca=` option: a PEM file of trusted roots for TLS.
    public var certificateAuthorityFile: String?
    /// The `verify=` option: `full` (default), `ca` (chain only, any host name) or `none`.
    public var verification: String
    /// The `name=` option: the connection's client name.
    public var clientName: String?

    /// Parses `string`; the error never repeats the URL (it may hold a password).
    ///
    /// The user information ends at the last `@` (the rule of Sluice's `URLRedaction`), so a password may hold
    /// unencoded `?`, `#`, `/`, `:` or `@`; an `@` in a query value must be percent-encoded.
    public init(_ string: String) throws(RESPError) {
        guard let separator = string.range(of: "://") else {
            throw RESPError(.invalidConfiguration, "not a redis:// or rediss:// URL")
        }
        let scheme = string[..<separator.lowerBound].lowercased()
        guard scheme == "redis" || scheme == "rediss" else {
            throw RESPError(.invalidConfiguration, "not a redis:// or rediss:// URL")
        }
        usesTLS = scheme == "rediss"
        var rest = string[separator.upperBound...]
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            let colon = userInfo.firstIndex(of: ":")
            let user = try Self.decode(userInfo[..<(colon ?? userInfo.endIndex)])
            username = user.isEmpty ? nil : user
            if let colon { password = try Self.decode(userInfo[userInfo.index(after: colon)...]) }
            rest = rest[rest.index(after: at)...]
        }
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var path: Substring = ""
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...].drop { $0 == "/" }
            rest = rest[..<slash]
        }
        (host, port) = try Self.hostAndPort(rest)
        guard path.isEmpty || Int(path).map({ $0 >= 0 }) == true else {
            throw RESPError(.invalidConfiguration, "the Redis URL's path is not a database number")
        }
        database = Int(path) ?? 0
        verification = "full"
        try apply(query)
    }

    private mutating func apply(_ query: Substring) throws(RESPError) {
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            let value = parts.count > 1 ? try Self.decode(parts[1]) : nil
            switch name {
            case "ca": certificateAuthorityFile = value
            case "verify": verification = value ?? "full"
            case "name": clientName = value
            default: throw RESPError(.invalidConfiguration, "unknown Redis URL option '\(name.prefix(40))'")
            }
        }
        guard ["full", "ca", "none"].contains(verification) else {
            throw RESPError(.invalidConfiguration, "verify= takes full, ca or none")
        }
    }

    /// `HOST[:PORT]` or `[IPV6][:PORT]`; the port defaults to 6379.
    private static func hostAndPort(_ text: Substring) throws(RESPError) -> (String, Int) {
        var host = text
        var port: Substring?
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if after.hasPrefix(":") { port = after.dropFirst() }
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard !host.isEmpty else { throw RESPError(.invalidConfiguration, "the Redis URL names no host") }
        guard let port else { return (try decode(host), 6379) }
        guard let number = Int(port), (1...65535).contains(number) else {
            throw RESPError(.invalidConfiguration, "the Redis URL's port must be a number from 1 to 65535")
        }
        return (try decode(host), number)
    }

    /// `text` percent-decoded.
    private static func decode(_ text: Substring) throws(RESPError) -> String {
        guard text.contains("%") else { return String(text) }
        guard let decoded = String(text).removingPercentEncoding else {
            throw RESPError(.invalidConfiguration, "the Redis URL holds invalid percent-encoding")
        }
        return decoded
    }

    /// The URL with `***` in place of the password.
    /// A user name that could be part of a password (holding `@`, `/`, `?` or `#`) is hidden too.
    public var redacted: String {
        var text = usesTLS ? "rediss://" : "redis://"
        if let username { text += username.contains(where: { "@/?#".contains($0) }) ? "***" : username }
        if password != nil { text += ":***" }
        if username != nil || password != nil { text += "@" }
        text += host.contains(":") ? "[\(host)]" : host
        text += ":\(port)/\(database)"
        return text
    }

    public var description: String { redacted }
}
