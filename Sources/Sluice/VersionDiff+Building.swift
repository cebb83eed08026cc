/// Rows counted by content: the keyless side of a diff.
public struct RowTally: Sendable {
    /// Each distinct row's digest, how often it occurs, and its values.
    public private(set) var entries: [ContentChecksum: (count: Int, row: [Value])] = [:]
    private let digester: RowDigester

    /// An empty tally of rows of `schema`.
    public init(schema: Schema) {
        digester = RowDigester(schema: schema)
    }

    /// Counts every row of `batch`.
    public mutating func add(_ batch: RecordBatch) {
        var buffer: [UInt8] = []
        for row in 0..<batch.count {
            let digest = digester.digest(row: row, of: batch, buffer: &buffer)
            entries[digest, default: (0, batch.row(row))].count += 1
        }
    }
}

extension VersionDiff {
    /// The diff of a keyless table between two tallies of its rows: rows more often in `end` are inserted, rows
    /// more often in `start` deleted, with up to `samples` rows of each.
    public mutating func compare(_ start: RowTally, _ end: RowTally, schema: Schema, samples: Int) {
        for (change, from, to) in [("inserted", start, end), ("deleted", end, start)] {
            var sampled = 0
            for (digest, entry) in to.entries {
                let extra = entry.count - (from.entries[digest]?.count ?? 0)
                guard extra > 0 else { continue }
                if change == "inserted" { inserted += extra } else { deleted += extra }
                if sampled < samples {
                    self.samples.append(Sample(change: change, row: Sample.texts(entry.row, schema)))
                    sampled += 1
                }
            }
        }
    }
}

extension VersionDiff.Sample {
    /// Values in `schema`'s column order as text by column name (`nil` for NULL).
    public static func texts(_ values: [Value], _ schema: Schema) -> [String: String?] {
        Dictionary(uniqueKeysWithValues: zip(schema.columnNames, values.map(\.text)))
    }

    /// The schema of an updated sample's query: the columns as they are, then as they were (`_before_` + name).
    public static func withBefore(_ schema: Schema) -> Schema {
        Schema(columns: schema.columns + schema.columns.map { Column(beforePrefix + $0.name, $0.type) })
    }

    /// An updated sample from a row of ``withBefore(_:)``'s schema.
    public static func updated(_ values: [Value], _ schema: Schema) -> VersionDiff.Sample {
        var after: [String: String?] = [:]
        var before: [String: String?] = [:]
        for (name, value) in texts(values, withBefore(schema)) {
            if name.hasPrefix(beforePrefix) {
                before[String(name.dropFirst(beforePrefix.count))] = value
            } else {
                after[name] = value
            }
        }
        return VersionDiff.Sample(change: "updated", row: after, before: before)
    }

    static let beforePrefix = "_before_"
}

extension DataVersion {
    /// The version a rollback of `table` to `goal` records on top of `latest`: strategy `replace`, `goal`'s
    /// checksum and `rowCount` rows as the rollback found them, the rows it inserted, updated and deleted, and
    /// ``rollbackKey`` (plus `metadata`).
    public init(
        rollingBack table: String,
        to goal: DataVersion,
        after latest: DataVersion,
        schema: Schema,
        checksum: ContentChecksum,
        rowCount: Int,
        changes: (inserted: Int, updated: Int, deleted: Int),
        metadata: [String: String] = [:],
        id: String = UUIDv7.make()
    ) {
        var metrics = LoadingMetrics()
        metrics.recordsInserted = changes.inserted
        metrics.recordsUpdated = changes.updated
        metrics.recordsDeleted = changes.deleted
        self.init(
            id: id,
            table: table,
            createdAt: .now,
            strategy: .replace,
            source: "rollback of table \(table) to version \(goal.id)",
            recordCount: rowCount,
            schema: schema,
            checksum: checksum,
            inputChecksum: checksum,
            parentID: latest.id,
            metrics: metrics,
            metadata: metadata.merging([Self.rollbackKey: goal.id]) { _, rollback in rollback }
        )
    }
}
