/// The one rule for where a URL's user information ends, and the one way Sluice hides passwords in URLs
/// (SECURITY.md, promise 4).
///
/// In `scheme://USER:PASSWORD@HOST:PORT/PATH?QUERY` the user information ends at the **last** `@`, so a password
/// may hold unencoded `?`, `#`, `/`, `:` or `@` (percent-encoding it works too). An `@` after the user information
/// (in a path or query value) must be percent-encoded (`%40`). Every parser of target URLs (``TargetURL``, the
/// PostgreSQL configuration, the Redis URL) splits this way, and every message, log line, metric label and report
/// that names a URL shows it through ``redacted(_:)`` or ``TargetURL/redacted``.
public enum URLRedaction {
    /// What stands for hidden user information.
    public static let mask = "***"

    /// Schemes whose URLs hold a path and never user information (an `@` there is part of a file name).
    static let pathSchemes: Set<String> = ["sqlite", "file"]

    /// The user information of `text` (a URL after its `scheme:` and `//`), up to its last `@`, and the rest after
    /// that `@`; `nil` user information when `text` holds no `@`.
    public static func splitUserInfo(_ text: Substring) -> (userInfo: Substring?, rest: Substring) {
        guard let at = text.lastIndex(of: "@") else { return (nil, text) }
        return (text[..<at], text[text.index(after: at)...])
    }

    /// `text` with every password hidden, whatever it looks like: a target URL shows as ``TargetURL/redacted``;
    /// anything else has everything between `://` (or its start) and its last `@` replaced by `***`.
    ///
    /// Use it for any text that may be a URL a user gave, before it reaches an error, a log line, `--json` output,
    /// a metric or a report.
    public static func redacted(_ text: String) -> String {
        guard let target = try? TargetURL(text) else { return unparsedRedacted(text) }
        return target.redacted
    }

    /// `text`, which no parser could split, with everything between `://` (or its start) and its last `@` replaced
    /// by `***`. Text without `@` holds no user information and comes back unchanged.
    static func unparsedRedacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@") else { return text }
        let start = text.firstRange(of: "://")?.upperBound ?? text.startIndex
        guard start <= at else { return mask + text[at...] }
        return text[..<start] + mask + text[at...]
    }

    /// User information as a redacted URL shows it: `USER:***` when it holds a password after a plain user name,
    /// the user name alone when it holds no password, `***` when it cannot be told apart (a user part holding
    /// `@`, `/`, `?` or `#`).
    static func redactedUserInfo(_ userInfo: Substring) -> String {
        let colon = userInfo.firstIndex(of: ":")
        let user = userInfo[..<(colon ?? userInfo.endIndex)]
        guard !user.contains(where: { "@/?#".contains($0) }) else { return mask }
        return colon == nil ? String(user) : user + ":" + mask
    }
}
