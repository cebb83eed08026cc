import Foundation
import Sluice

/// A table's standing archive rule, kept with the source target (``Sluice/TableSettings``, setting
/// ``settingName``): rows older than a number of days, or before a date, go to an archive table.
public struct ArchivePolicy: Sendable, Hashable, Codable {
    /// The setting that holds a table's policy, as JSON.
    public static let settingName = "archive.policy"

    /// Archive rows whose day is more than this many days before today.
    public var olderThanDays: Int?
    /// Archive rows before this day.
    public var before: CivilDate?
    /// The date or timestamp column (by default the only one in the key, else in the table).
    public var column: String?
    /// The archive target's URL (`file:DIR?format=parquet&compression=zstd`).
    public var archive: String
    /// The archive table (by default the source table's name).
    public var archiveTable: String?

    /// Creates a policy; exactly one of `olderThanDays` and `before` is expected.
    public init(
        olderThanDays: Int? = nil,
        before: CivilDate? = nil,
        column: String? = nil,
        archive: String,
        archiveTable: String? = nil
    ) {
        self.olderThanDays = olderThanDays
        self.before = before
        self.column = column
        self.archive = archive
        self.archiveTable = archiveTable
    }

    enum CodingKeys: String, CodingKey {
        case olderThanDays = "older_than_days"
        case before, column, archive
        case archiveTable = "archive_table"
    }

    /// The cutoff on `today`: the policy's date, or `today` minus its days.
    public func cutoff(today: CivilDate) -> CivilDate? {
        before ?? olderThanDays.map { today.adding(days: -$0) }
    }

    /// The selection this policy makes on `today` from a table of `schema`.
    ///
    /// - Throws: ``Sluice/SluiceError`` (``Sluice/SluiceError/Code/invalidRequest``) for a policy without a cutoff or
    ///   a table without a usable column.
    public func selection(today: CivilDate, schema: Schema, table: String) throws -> RowSelection {
        guard let cutoff = cutoff(today: today) else {
            throw SluiceError(
                .invalidRequest,
                "table '\(table)': the archive policy has neither older_than_days nor before"
            )
        }
        let column = try column ?? RowSelection.defaultColumn(in: schema, table: table)
        return RowSelection(column: column, before: cutoff)
    }

    /// The policy as the JSON text stored in the setting.
    public func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The policy stored for `table`, if any.
    ///
    /// - Throws: ``Sluice/SluiceError`` when the stored text is not a policy.
    public static func stored(in target: any TableSettings, table: String) async throws -> ArchivePolicy? {
        guard let text = try await target.settings(table: table)[settingName] else { return nil }
        do {
            return try JSONDecoder().decode(ArchivePolicy.self, from: Data(text.utf8))
        } catch {
            throw SluiceError(
                .targetFailure,
                "table '\(table)': the stored archive policy in \(target.target) is not valid: \(error)"
            )
        }
    }
}
