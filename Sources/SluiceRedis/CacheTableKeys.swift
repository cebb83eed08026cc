/// The names of Sluice's own keys for one table in one namespace.
///
/// They share the hash tag `{namespace:table}`, so that in a cluster the version list and the state chunks of a
/// table live on one node, and no data key (which starts `namespace:table:`, without a brace) can be one of them.
struct CacheTableKeys: Sendable, Hashable {
    let namespace: String
    let table: String

    private var prefix: String { "{\(namespace):\(table)}:_sluice:" }

    /// The list of version records (JSON), oldest first.
    var versions: String { prefix + "versions" }

    /// Chunk `index` of the key state a version recorded.
    func state(version: String, chunk index: Int) -> String { prefix + "state:\(version):\(index)" }

    /// The lock a load holds while it writes.
    var lock: String { prefix + "lock" }

    /// The hash of the table's settings (``Sluice/TableSettings``): setting name → value.
    var settings: String { prefix + "settings" }

    /// The set of tables in `namespace` (hash tag `{namespace}`).
    static func tables(namespace: String) -> String { "{\(namespace)}:_sluice:tables" }

    /// The set of tables in `namespace` that have settings (hash tag `{namespace}`). Apart from ``tables(namespace:)``,
    /// which lists the tables that were loaded.
    static func settingsTables(namespace: String) -> String { "{\(namespace)}:_sluice:settings-tables" }
}
