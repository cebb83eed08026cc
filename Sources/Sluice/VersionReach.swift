/// A table's versions and how far back its history reaches: what the SQL targets' rollback and diff share. The
/// target says which versions still have their history; columns must match the table's now.
package struct VersionReach: Sendable {
    package let table: String
    /// The table's versions, oldest first (never empty).
    package let versions: [DataVersion]
    /// The table's schema now.
    package let schema: Schema

    /// - Throws: ``SluiceError`` (``SluiceError/Code/notFound``) when the table has no versions.
    package init(table: String, versions: [DataVersion], schema: Schema?) throws {
        guard let schema, !versions.isEmpty else {
            throw SluiceError(.notFound, "table '\(table)' has no versions in this database")
        }
        self.table = table
        self.versions = versions
        self.schema = schema
    }

    package var latest: DataVersion { versions[versions.count - 1] }

    /// The version `id`.
    package func version(_ id: String) throws -> DataVersion {
        guard let version = versions.first(where: { $0.id == id }) else {
            throw SluiceError(.notFound, "table '\(table)' has no version \(id)")
        }
        return version
    }

    /// The versions after `version`, newest first, each with its history and the same columns as now.
    ///
    /// - Throws: ``SluiceError`` (``SluiceError/Code/notFound``) naming the oldest version the history reaches.
    package func versions(after version: DataVersion, withHistory: Set<String>) throws -> [DataVersion] {
        guard let index = versions.firstIndex(where: { $0.id == version.id }) else { return [] }
        var oldest = versions.count - 1
        while oldest > 0 {
            let candidate = versions[oldest]
            guard withHistory.contains(candidate.id), sameColumns(candidate), sameColumns(versions[oldest - 1]) else {
                break
            }
            oldest -= 1
        }
        guard index >= oldest else {
            throw SluiceError(
                .notFound,
                "table '\(table)': cannot go back to version \(version.id): the history reaches back to version "
                    + "\(versions[oldest].id) only (a later version was loaded without history, changed the columns, or "
                    + "is beyond history.keep_versions)"
            )
        }
        return Array(versions[(index + 1)...].reversed())
    }

    private func sameColumns(_ version: DataVersion) -> Bool {
        version.schema.columns.map { [$0.name, $0.type.name] } == schema.columns.map { [$0.name, $0.type.name] }
    }
}

/// How a history row records a change: what the SQL targets' history tables hold in `_sluice_op`.
package enum HistoryOperation: String, Sendable {
    /// The key (a keyless table: the whole row) of a row the version inserted.
    case inserted = "i"
    /// The whole row before the version updated it.
    case updated = "u"
    /// The whole row before the version deleted it.
    case deleted = "d"
    /// A keyless `replace` emptied the table first.
    case emptied = "r"
}
