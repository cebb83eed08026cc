/// How a load combines incoming records with what the target holds (DESIGN §3).
///
/// | strategy | new key | existing key, changed | existing key, same | in-batch duplicate key |
/// |---|---|---|---|---|
/// | ``insertOnly`` | insert | fail / skip | fail / skip | fail |
/// | ``updateOnly`` | skip | update | unchanged | last wins |
/// | ``upsert`` | insert | update | unchanged | last wins |
/// | ``replace`` | the target becomes exactly this data (last wins) ||||
/// | ``append`` | insert | insert | insert | insert |
/// | ``incremental`` | insert | update | skipped, untouched | last wins |
///
/// Unchanged rows are never rewritten and are counted as skipped.
public enum LoadingStrategy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Add new records; a key that exists fails the load (or is skipped with ``ConflictPolicy/skip``).
    case insertOnly = "insert-only"
    /// Change existing records only; new keys are skipped.
    case updateOnly = "update-only"
    /// Insert new records, update changed ones.
    case upsert
    /// The target becomes exactly this data, atomically.
    case replace
    /// Add every record without key checks.
    case append
    /// Load only what changed since the last load: rows past the cursor watermark, or rows whose content
    /// differs; optionally delete keys that vanished.
    case incremental

    /// Whether the strategy needs key columns.
    public var requiresKey: Bool {
        switch self {
        case .insertOnly, .updateOnly, .upsert, .incremental: return true
        case .replace, .append: return false
        }
    }
}

/// What an insert-only load does with a key that already exists.
public enum ConflictPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Fail the whole load, naming the first conflicting keys.
    case fail
    /// Skip the conflicting records and count them.
    case skip
}
