import Foundation
import Sluice

/// Options added to a target URL's query, as the CLI's `--format`, `--ttl`, … options are
/// (`file:DIR?format=csv`, `redis://HOST/0?namespace=md&ttl=300`).
public enum URLOptions {
    /// `url` with `options` added to its query, values percent-encoded; `url` itself when there are none.
    public static func appending(_ options: [(name: String, value: String)], to url: String) -> String {
        guard !options.isEmpty else { return url }
        return url + (hasQuery(url) ? "&" : "?") + encoded(options).joined(separator: "&")
    }

    /// Whether `url` has a query: a `?` after its user information (a password may hold an unencoded `?`).
    public static func hasQuery(_ url: String) -> Bool { query(of: url) != nil }

    /// `name=value` items, the value percent-encoded (`&`, `=`, `+`, `?` and `#` included).
    public static func encoded(_ options: [(name: String, value: String)]) -> [String] {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return options.map { name, value in
            name + "=" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)
        }
    }

    /// The names of the options `url` sets already.
    static func names(in url: String) -> Set<String> {
        let query = query(of: url) ?? ""
        return Set(query.split(separator: "&").map { String($0.split(separator: "=").first ?? "") })
    }

    /// The query of `url`, after the first `?` that follows its user information (``Sluice/TargetURL/address``).
    private static func query(of url: String) -> Substring? {
        let address = (try? TargetURL(url))?.address ?? url
        return address.firstIndex(of: "?").map { address[address.index(after: $0)...] }
    }
}
