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
        let beyond = try reach.versions(after: newer)
        let between = try reach.versions(after: older).filter { $0.id <= newer.id }
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
        for values in try await rows("SELECT \(columns) \(end.rows(notIn: start))", schema: schema) {
            result.samples.append(VersionDiff.Sample(change: "inserted", row: VersionDiff.Sample.texts(values, schema)))
        }
        let beforeColumns = PostgresSyntax.readList(schema.columns, prefix: "b")
        let both = VersionDiff.Sample.withBefore(schema)
        for values in try await rows("SELECT \(columns), \(beforeColumns) \(end.rows(changedIn: start))", schema: both)
        {
            result.samples.append(VersionDiff.Sample.updated(values, schema))
        }
        for values in try await rows("SELECT \(columns) \(start.rows(notIn: end))", schema: schema) {
            result.samples.append(VersionDiff.Sample(change: "deleted", row: VersionDiff.Sample.texts(values, schema)))
        }
    }

    private func compareRows(
        _ start: PostgresHistorySnapshot,
        _ end: PostgresHistorySnapshot,
        into result: inout VersionDiff
    ) async throws {
        result.compare(try await tally(start), try await tally(end), schema: start.schema, samples: samples)
    }

    private func tally(_ snapshot: PostgresHistorySnapshot) async throws -> RowTally {
        try await PostgresRowReader.reduceBatches(
            connection,
            sql: "SELECT \(PostgresSyntax.readList(snapshot.schema.columns)) FROM \(snapshot.name)",
            schema: snapshot.schema,
            table: table,
            into: RowTally(schema: snapshot.schema),
            logger: logger
        ) { tally, batch in tally.add(batch) }
    }

    private func rows(_ sql: String, schema: Schema) async throws -> [[Value]] {
        guard samples > 0 else { return [] }
        return try await PostgresRowReader.reduceBatches(
            connection,
            sql: sql + " LIMIT \(samples)",
            schema: schema,
            table: table,
            into: [[Value]](),
            logger: logger
        ) { rows, batch in
            for row in 0..<batch.count { rows.append(batch.row(row)) }
        }
    }
}
