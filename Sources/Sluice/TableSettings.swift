/// Named settings a target keeps per table in its own catalog, beside the table's versions: archive and retention
/// policies, history retention. Values are text (JSON for structured settings); the target stores them durably and
/// atomically, one setting at a time.
///
/// PostgreSQL and SQLite keep them in a `_sluice_settings` table, the file target in `TABLE/_sluice/settings.json`,
/// Redis in a hash beside the table's versions (`docs/TableSettings.md`).
///
/// Every target checks names with ``TableSettingName`` first: an empty name, one over 200 bytes or one with a
/// control character throws ``SluiceError`` (``SluiceError/Code/invalidRequest``) naming the table and setting.
public protocol TableSettings: Loader {
    /// Every setting of `table` (empty when there is none, or no such table).
    func settings(table: String) async throws -> [String: String]

    /// Sets `name` of `table` to `value`, or removes it when `value` is `nil`. The table need not exist yet.
    func setSetting(table: String, name: String, value: String?) async throws

    /// The tables that have at least one setting, sorted.
    func tablesWithSettings() async throws -> [String]
}
