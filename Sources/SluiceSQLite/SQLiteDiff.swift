import GRDB
import Sluice

/// Compares two versions of a SQLite table: inside a transaction that is rolled back afterwards, undoes the versions
/// after the newer one and copies the rows the versions between them touched, undoes down to the older one and
/// copies them again, and compares the two copies.
struct SQLiteDiff {
    let db: Database
    let table: String
    let fromID: String
    let toID: String
    let samples: Int

    func run() throws -> VersionDiff {
        var diff: VersionDiff?
        try db.inTransaction(.immediate) {
            diff = try body()
            return .rollback
        }
        guard let diff else { throw SluiceError(.targetFailure, "table '\(table)': the diff did not run") }
        return diff
    }

    private func body() throws -> VersionDiff {
        let reach = try HistoryReach(db: db, table: table)
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
        try HistorySnapshot.collectTouchedKeys(history, versions: between)
        for version in beyond { try history.undo(version.id) }
        let atNewer = try HistorySnapshot(history, name: "_sluice_at_newer")
        for version in between { try history.undo(version.id) }
        let atOlder = try HistorySnapshot(history, name: "_sluice_at_older")
        let (start, end) = from.id == older.id ? (atOlder, atNewer) : (atNewer, atOlder)
        if history.key.isEmpty {
            try compareRows(start, end, into: &result)
        } else {
            try compareKeys(start, end, into: &result)
        }
        return result
    }

    /// Keyed: by key.
    private func compareKeys(_ start: HistorySnapshot, _ end: HistorySnapshot, into result: inout VersionDiff) throws {
        let schema = start.schema
        let columns = SQLiteSyntax.list(schema.columnNames, prefix: "a")
        result.inserted = try count(end.rows(notIn: start))
        result.deleted = try count(start.rows(notIn: end))
        result.updated = try count(end.rows(changedIn: start))
        for values in try rows("SELECT \(columns) \(end.rows(notIn: start))", schema: schema) {
            result.samples.append(VersionDiff.Sample(change: "inserted", row: VersionDiff.Sample.texts(values, schema)))
        }
        let beforeColumns = SQLiteSyntax.list(schema.columnNames, prefix: "b")
        let both = VersionDiff.Sample.withBefore(schema)
        for values in try rows("SELECT \(columns), \(beforeColumns) \(end.rows(changedIn: start))", schema: both) {
            result.samples.append(VersionDiff.Sample.updated(values, schema))
        }
        for values in try rows("SELECT \(columns) \(start.rows(notIn: end))", schema: schema) {
            result.samples.append(VersionDiff.Sample(change: "deleted", row: VersionDiff.Sample.texts(values, schema)))
        }
    }

    /// Keyless: as multisets of rows.
    private func compareRows(_ start: HistorySnapshot, _ end: HistorySnapshot, into result: inout VersionDiff) throws {
        result.compare(try tally(start), try tally(end), schema: start.schema, samples: samples)
    }

    private func tally(_ snapshot: HistorySnapshot) throws -> RowTally {
        var tally = RowTally(schema: snapshot.schema)
        try SQLiteRowReader.forEachBatch(
            db,
            sql: "SELECT \(SQLiteSyntax.list(snapshot.schema.columnNames)) FROM \(snapshot.name)",
            schema: snapshot.schema,
            table: table
        ) { tally.add($0) }
        return tally
    }

    private func count(_ tail: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) \(tail)") ?? 0
    }

    /// Up to `samples` rows of `sql` (columns of `schema`).
    private func rows(_ sql: String, schema: Schema) throws -> [[Value]] {
        guard samples > 0 else { return [] }
        var rows: [[Value]] = []
        try SQLiteRowReader.forEachBatch(db, sql: sql + " LIMIT \(samples)", schema: schema, table: table) { batch in
            for row in 0..<batch.count { rows.append(batch.row(row)) }
        }
        return rows
    }
}
