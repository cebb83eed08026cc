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
        if hasAuthority, let at = text.firstIndex(of: "@") {
            let userInfo = text[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                text = String(text[..<colon]) + ":***" + String(text[at...])
            }
        }
        return scheme + ":" + (hasAuthority ? "//" : "") + text
    }

    public var description: String { redacted }
}
