/// The names of Sluice's own keys for one table in one namespace.
///
/// They share the hash tag `{namespace:table}`, so that in a cluster the version list and the state chunks of a
/// table live on one node, and no data key (which starts `namespace:table:`, without a brace) can be one of them.
/// A `\` or `:` in the namespace or the table name is escaped with a `\` (``CacheKeyEscaping/names``), so that
/// namespace `a:b` with table `c` and namespace `a` with table `b:c` keep apart; names without them are written
/// as they are, as before escaping existed.
struct CacheTableKeys: Sendable, Hashable {
    let namespace: String
    let table: String

    private var prefix: String {
        let names = CacheKeyEscaping.names
        return "{\(names.escaped(namespace)):\(names.escaped(table))}:_sluice:"
    }

    /// Whether the table's keys are named differently since names were escaped.
    var isRenamedByEscaping: Bool {
        let names = CacheKeyEscaping.names
        return names.needsEscaping(Array(namespace.utf8)) || names.needsEscaping(Array(table.utf8))
    }

    /// The version list's name before names were escaped: where a table created then keeps its versions.
    var unescapedVersions: String { "{\(namespace):\(table)}:_sluice:versions" }

    /// The list of version records (JSON), oldest first.
    var versions: String { prefix + "versions" }

    /// Chunk `index` of the key state a version recorded.
    func state(version: String, chunk index: Int) -> String { prefix + "state:\(version):\(index)" }

    /// The mark of a load under way (``CacheLoadMark``): set before its first key, removed with its version.
    var pending: String { prefix + "pending" }

    /// The lock a load holds while it writes.
    var lock: String { prefix + "lock" }

    /// The hash of the table's settings (``Sluice/TableSettings``): setting name → value.
    var settings: String { prefix + "settings" }

    /// The set of tables in `namespace` (hash tag `{namespace}`).
    static func tables(namespace: String) -> String { "{\(CacheKeyEscaping.names.escaped(namespace))}:_sluice:tables" }

    /// The set of tables in `namespace` that have settings (hash tag `{namespace}`). Apart from ``tables(namespace:)``,
    /// which lists the tables that were loaded.
    static func settingsTables(namespace: String) -> String {
        "{\(CacheKeyEscaping.names.escaped(namespace))}:_sluice:settings-tables"
    }
}
