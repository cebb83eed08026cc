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
            throw SluiceError(
                .unsupportedTarget,
                "'\(URLRedaction.unparsedRedacted(url))' is not a target URL (expected sqlite:PATH, postgres://…)"
            )
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
    ///
    /// The user information ends at the last `@` (``URLRedaction``), so a password holding unencoded `?`, `#`, `/`
    /// or `@` is hidden whole; user information whose user part cannot be told apart from the password is hidden
    /// whole, and so is everything before the last `@` of a URL without `//` (`sqlite:` and `file:` paths aside).
    public var redacted: String {
        guard let at = userInfoEnd else { return scheme + ":" + (hasAuthority ? "//" : "") + rest }
        let userInfo = hasAuthority ? URLRedaction.redactedUserInfo(rest[..<at]) : URLRedaction.mask
        return scheme + ":" + (hasAuthority ? "//" : "") + userInfo + rest[at...]
    }

    /// The user information (`USER:PASSWORD`, still percent-encoded), if the URL has any.
    public var userInfo: String? { userInfoEnd.map { String(rest[..<$0]) } }

    /// Everything after the user information and its `@`: host, port, path and query (all of ``rest`` when there
    /// is no user information).
    public var address: String { userInfoEnd.map { String(rest[rest.index(after: $0)...]) } ?? rest }

    /// Where the user information ends in ``rest`` (its `@`), if the URL has any: the last `@`
    /// (``URLRedaction/splitUserInfo(_:)``). `sqlite:` and `file:` URLs name paths and have none.
    private var userInfoEnd: String.Index? {
        guard !URLRedaction.pathSchemes.contains(scheme) else { return nil }
        return URLRedaction.splitUserInfo(rest[...]).userInfo?.endIndex
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
