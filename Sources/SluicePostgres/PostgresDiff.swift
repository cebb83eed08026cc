import Logging
import PostgresNIO
import Sluice

/// Compares two versions of a PostgreSQL table inside a transaction that is rolled back afterwards: undoes the
/// versions after the newer one and copies the rows the versions between them touched, undoes down to the older one
/// and copies them again, and compares the two copies (see SQLite's `SQLiteDiff`, which this mirrors).
struct PostgresDiff {
    let connection: PostgresConnection
    let table: String
    let fromID: String
    let toID: String
    let samples: Int
    let logger: Logger

    func run() async throws -> VersionDiff {
        try await PostgresHistoryTransaction(connection: connection, table: table, logger: logger).run { reach in
            (try await body(reach), commit: false)
        }
    }

    private func body(_ reach: PostgresHistoryReach) async throws -> VersionDiff {
        let from = try reach.version(fromID)
        let to = try reach.version(toID)
        var result = VersionDiff(
            table: table,
            from: from.id,
            to: to.id,
            inserted: 0,
            updated: 0,
            deleted: 0,
            samples: []
        )
        guard from.id != to.id else { return result }
        let (older, newer) = from.id < to.id ? (from, to) : (to, from)
        let beyond = try await reach.versions(after: newer)
        let between = try await reach.versions(after: older).filter { $0.id <= newer.id }
        let history = reach.history
        try await PostgresHistorySnapshot.collectTouchedKeys(history, versions: between)
        for version in beyond { try await history.undo(version.id) }
        let atNewer = try await PostgresHistorySnapshot(history, name: "_sluice_at_newer")
        for version in between { try await history.undo(version.id) }
        let atOlder = try await PostgresHistorySnapshot(history, name: "_sluice_at_older")
        let (start, end) = from.id == older.id ? (atOlder, atNewer) : (atNewer, atOlder)
        if history.key.isEmpty {
            try await compareRows(start, end, into: &result)
        } else {
            try await compareKeys(start, end, into: &result)
        }
        return result
    }

    private func compareKeys(
        _ start: PostgresHistorySnapshot,
        _ end: PostgresHistorySnapshot,
        into result: inout VersionDiff
    ) async throws {
        let schema = start.schema
        let columns = PostgresSyntax.readList(schema.columns, prefix: "a")
        result.inserted = try await connection.integer("SELECT count(*) \(end.rows(notIn: start))", logger: logger)
        result.deleted = try await connection.integer("SELECT count(*) \(start.rows(notIn: end))", logger: logger)
        result.updated = try await connection.integer("SELECT count(*) \(end.rows(changedIn: start))", logger: logger)
        for row in try await rows("SELECT \(columns) \(end.rows(notIn: start))", schema: schema) {
            result.samples.append(VersionDiff.Sample(change: "inserted", row: row))
        }
        let both = Schema(columns: schema.columns + schema.columns.map { Column("_before_" + $0.name, $0.type) })
        let beforeColumns = PostgresSyntax.readList(schema.columns, prefix: "b")
        for row in try await rows("SELECT \(columns), \(beforeColumns) \(end.rows(changedIn: start))", schema: both) {
            var after: [String: String?] = [:]
            var before: [String: String?] = [:]
            for (name, value) in row {
                if name.hasPrefix("_before_") { before[String(name.dropFirst(8))] = value } else { after[name] = value }
            }
            result.samples.append(VersionDiff.Sample(change: "updated", row: after, before: before))
        }
        for row in try await rows("SELECT \(columns) \(start.rows(notIn: end))", schema: schema) {
            result.samples.append(VersionDiff.Sample(change: "deleted", row: row))
        }
    }

    private func compareRows(
        _ start: PostgresHistorySnapshot,
        _ end: PostgresHistorySnapshot,
        into result: inout VersionDiff
    ) async throws {
        let schema = start.schema
        let before = try await tally(start)
        let after = try await tally(end)
        for (digest, entry) in after {
            let extra = entry.count - (before[digest]?.count ?? 0)
            guard extra > 0 else { continue }
            result.inserted += extra
            if result.samples.filter({ $0.change == "inserted" }).count < samples {
                result.samples.append(VersionDiff.Sample(change: "inserted", row: Self.texts(entry.row, schema)))
            }
        }
        for (digest, entry) in before {
            let missing = entry.count - (after[digest]?.count ?? 0)
            guard missing > 0 else { continue }
            result.deleted += missing
            if result.samples.filter({ $0.change == "deleted" }).count < samples {
                result.samples.append(VersionDiff.Sample(change: "deleted", row: Self.texts(entry.row, schema)))
            }
        }
    }

    private func tally(
        _ snapshot: PostgresHistorySnapshot
    ) async throws -> [ContentChecksum: (count: Int, row: [Value])] {
        let schema = snapshot.schema
        let digester = RowDigester(schema: schema)
        var counts: [ContentChecksum: (count: Int, row: [Value])] = [:]
        try await PostgresRowReader.forEachBatch(
            connection,
            sql: "SELECT \(PostgresSyntax.readList(schema.columns)) FROM \(snapshot.name)",
            schema: schema,
            table: table,
            logger: logger
        ) { batch in
            var buffer: [UInt8] = []
            for row in 0..<batch.count {
                let digest = digester.digest(row: row, of: batch, buffer: &buffer)
                counts[digest, default: (0, batch.row(row))].count += 1
            }
        }
        return counts
    }

    private func rows(_ sql: String, schema: Schema) async throws -> [[String: String?]] {
        guard samples > 0 else { return [] }
        var rows: [[String: String?]] = []
        try await PostgresRowReader.forEachBatch(
            connection,
            sql: sql + " LIMIT \(samples)",
            schema: schema,
            table: table,
            logger: logger
        ) { batch in
            for row in 0..<batch.count { rows.append(Self.texts(batch.row(row), schema)) }
        }
        return rows
    }

    static func texts(_ values: [Value], _ schema: Schema) -> [String: String?] {
        Dictionary(uniqueKeysWithValues: zip(schema.columnNames, values.map(\.text)))
    }
}
