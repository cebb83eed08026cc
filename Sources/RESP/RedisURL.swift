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
    public init(_ string: String) throws(RESPError) {
        guard let components = URLComponents(string: string), let scheme = components.scheme?.lowercased(),
            scheme == "redis" || scheme == "rediss"
        else { throw RESPError(.invalidConfiguration, "not a redis:// or rediss:// URL") }
        guard let host = components.host, !host.isEmpty else {
            throw RESPError(.invalidConfiguration, "the Redis URL names no host")
        }
        usesTLS = scheme == "rediss"
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        port = components.port ?? 6379
        let user = components.user.flatMap { $0.isEmpty ? nil : $0 }
        username = user
        password = components.password
        let path = components.path.drop { $0 == "/" }
        guard path.isEmpty || Int(path).map({ $0 >= 0 }) == true else {
            throw RESPError(.invalidConfiguration, "the Redis URL's path is not a database number")
        }
        database = Int(path) ?? 0
        var verification = "full"
        for item in components.queryItems ?? [] {
            switch item.name {
            case "ca": certificateAuthorityFile = item.value
            case "verify": verification = item.value ?? "full"
            case "name": clientName = item.value
            default: throw RESPError(.invalidConfiguration, "unknown Redis URL option '\(item.name.prefix(40))'")
            }
        }
        guard ["full", "ca", "none"].contains(verification) else {
            throw RESPError(.invalidConfiguration, "verify= takes full, ca or none")
        }
        self.verification = verification
    }

    /// The URL with `***` in place of the password.
    public var redacted: String {
        var text = usesTLS ? "rediss://" : "redis://"
        if let username { text += username }
        if password != nil { text += ":***" }
        if username != nil || password != nil { text += "@" }
        text += host.contains(":") ? "[\(host)]" : host
        text += ":\(port)/\(database)"
        return text
    }

    public var description: String { redacted }
}
