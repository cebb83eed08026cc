/// A target named by URL: `sqlite:path.db`, `postgres://user@host:5432/db`, `file:dir`, `redis://host:6379/0`.
public struct TargetURL: Sendable, Hashable, CustomStringConvertible {
    /// The scheme, lowercase, without the colon (`sqlite`, `postgres`, `file`, `redis`).
    public var scheme: String
    /// Everything after `scheme:` (and after `//` when present).
    public var rest: String
    /// Whether the URL had `//` after the scheme.
    public var hasAuthority: Bool

    /// Parses `url`. A bare path ending in `.sqlite`, `.sqlite3` or `.db` is taken as `sqlite:PATH`.
    public init(_ url: String) throws {
        guard let colon = url.firstIndex(of: ":"), url[..<colon].allSatisfy({ $0.isLetter || $0 == "+" }),
            url.distance(from: url.startIndex, to: colon) > 1
        else {
            if url.hasSuffix(".sqlite") || url.hasSuffix(".sqlite3") || url.hasSuffix(".db") {
                self.init(scheme: "sqlite", rest: url, hasAuthority: false)
                return
            }
            throw SluiceError(.unsupportedTarget, "'\(url)' is not a target URL (expected sqlite:PATH, postgres://…)")
        }
        var rest = url[url.index(after: colon)...]
        let hasAuthority = rest.hasPrefix("//")
        if hasAuthority { rest = rest.dropFirst(2) }
        var scheme = url[..<colon].lowercased()
        if scheme == "postgresql" { scheme = "postgres" }
        self.init(scheme: scheme, rest: String(rest), hasAuthority: hasAuthority)
    }

    init(scheme: String, rest: String, hasAuthority: Bool) {
        self.scheme = scheme
        self.rest = rest
        self.hasAuthority = hasAuthority
    }

    /// The URL with any password replaced by `***`: safe for logs, errors and version metadata.
    public var redacted: String {
        var text = rest
        if let at = userInfoEnd {
            let userInfo = text[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                text = String(text[..<colon]) + ":***" + String(text[at...])
            }
        }
        return scheme + ":" + (hasAuthority ? "//" : "") + text
    }

    /// Where the user information ends in ``rest`` (its `@`), if the URL has any: the last `@` before the query,
    /// so that a password holding an unescaped `@` or `/` is still hidden whole.
    private var userInfoEnd: String.Index? {
        guard hasAuthority else { return nil }
        let query = rest.firstIndex(of: "?") ?? rest.endIndex
        return rest[..<query].lastIndex(of: "@")
    }

    public var description: String { redacted }

    /// The target as a metrics label: scheme, host, port and path, without user, password or query
    /// (`postgres://db:5432/market`, `sqlite:prices.sqlite`, `redis://cache:6379/0`). Safe for metrics, and the
    /// same for every user of one server, so it keeps a label's set of values small.
    public var metricsLabel: String {
        var text = Substring(rest)
        if let at = userInfoEnd { text = text[text.index(after: at)...] }
        if let query = text.firstIndex(of: "?") { text = text[..<query] }
        return scheme + ":" + (hasAuthority ? "//" : "") + text
    }
}
