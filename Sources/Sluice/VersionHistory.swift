/// Comparing two versions of a table and going back to an earlier one: what targets that keep enough of the past
/// offer (the file target keeps every retained version's files; the SQL targets keep before-images).
public protocol VersionHistory: Loader {
    /// What changed between versions `from` and `to` of `table` (either order): rows inserted, updated and deleted
    /// going from `from` to `to`, by key (keyless tables: by row content), with up to `samples` rows of each kind.
    ///
    /// - Throws: ``SluiceError`` (``SluiceError/Code/notFound``) naming a version the table does not have or no
    ///   longer keeps.
    func diff(table: String, from: String, to: String, samples: Int) async throws -> VersionDiff

    /// Makes `table` hold exactly what it held at version `versionID` (its checksum), recorded as a new version
    /// whose metadata has `rollback.to`. Rolling back to the latest version changes nothing and records nothing.
    ///
    /// - Throws: ``SluiceError`` (``SluiceError/Code/notFound``) when the version is unknown or its data is no longer
    ///   kept (the message names the oldest version it can reach).
    func rollback(table: String, to versionID: String) async throws -> LoadResult
}

/// What changed between two versions of a table.
public struct VersionDiff: Sendable, Hashable, Encodable {
    /// The table.
    public var table: String
    /// The version compared from.
    public var from: String
    /// The version compared to.
    public var to: String
    /// Rows whose key is in `to` only (keyless tables: rows more often in `to`).
    public var inserted: Int
    /// Rows whose key is in both with different values (always 0 for keyless tables).
    public var updated: Int
    /// Rows whose key is in `from` only (keyless tables: rows more often in `from`).
    public var deleted: Int
    /// A few rows of each kind: inserted and updated rows as in `to`, deleted rows as in `from`.
    public var samples: [Sample]

    /// One sample row.
    public struct Sample: Sendable, Hashable, Encodable {
        /// `inserted`, `updated` or `deleted`.
        public var change: String
        /// The row's values by column name, as text (`nil` for NULL).
        public var row: [String: String?]
        /// For an updated row: its values in `from`.
        public var before: [String: String?]?

        /// Creates a sample.
        public init(change: String, row: [String: String?], before: [String: String?]? = nil) {
            self.change = change
            self.row = row
            self.before = before
        }
    }

    /// Creates a diff.
    public init(
        table: String,
        from: String,
        to: String,
        inserted: Int,
        updated: Int,
        deleted: Int,
        samples: [Sample]
    ) {
        self.table = table
        self.from = from
        self.to = to
        self.inserted = inserted
        self.updated = updated
        self.deleted = deleted
        self.samples = samples
    }
}
