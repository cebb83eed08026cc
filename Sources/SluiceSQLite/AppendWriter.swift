import GRDB
import Sluice

/// `append`: every valid row goes straight into the table through one prepared `INSERT` — the fast path.
///
/// A rerun of input an earlier append already loaded (same input checksum) is undone and counted as skipped,
/// unless the request forces it — also into a keyed table, where the rerun's first row meets its own key.
struct AppendWriter {
    let db: Database
    let context: LoadContext
    let channel: PreparedInput.Channel
    /// Where the inserted keys (a keyless table: rows) go, when the load records history.
    let history: SQLiteHistory?

    func write() throws -> TableChange {
        let columns = context.plan.tableSchema.columnNames
        let inserter = try SQLiteRowInserter(
            db,
            sql: "INSERT INTO \(context.tableSQL) (\(SQLiteSyntax.list(columns))) "
                + "VALUES (\(SQLiteSyntax.placeholders(columns.count)))",
            columnCount: columns.count
        )
        let recorded = try historyInserter()
        var change = TableChange()
        while let prepared = try channel.receive() {
            let batch = prepared.batch
            let values = batch.columns
            let recordedValues = recorded.map { recorded in recorded.columns.map { values[$0] } }
            for row in 0..<batch.count {
                if let recorded, let recordedValues {
                    recorded.inserter.bind(row: row, of: recordedValues)
                    try recorded.inserter.step()
                }
                inserter.bind(row: row, of: values)
                do {
                    try inserter.step()
                } catch {
                    if error.isUniqueViolation, try isRerunOfEarlierAppend() {
                        change.isRerun = true
                        return change
                    }
                    throw failure(error, batch: batch, row: row)
                }
            }
            change.inserted += batch.count
            change.delta.add(prepared.checksum)
        }
        if !context.request.force, change.inserted > 0, let summary = channel.summary,
            try SQLiteCatalog.hasAppend(db, of: context.table, inputChecksum: summary.inputChecksum.hex)
        {
            change.isRerun = true
        }
        return change
    }

    /// A prepared `INSERT` of inserted keys (a keyless table: whole rows) into the history, and which of the batch's
    /// columns it takes.
    private func historyInserter() throws -> (inserter: SQLiteRowInserter, columns: [Int])? {
        guard let history else { return nil }
        let schema = context.plan.tableSchema
        let names = schema.keyColumns.isEmpty ? schema.columnNames : schema.keyColumns
        let inserter = try SQLiteRowInserter(
            db,
            sql: "INSERT INTO \(history.tableSQL) (\(SQLiteHistory.version), \(SQLiteHistory.op), "
                + "\(SQLiteSyntax.list(names))) VALUES (\(history.tag(.inserted)), \(SQLiteSyntax.placeholders(names.count)))",
            columnCount: names.count
        )
        return (inserter, names.compactMap { schema.index(of: $0) })
    }

    /// After a key conflict: whether the whole input is one an earlier append already loaded (then the load is a
    /// no-op rerun, not an error). Drains the rest of the input, without writing it, to learn its checksum.
    private func isRerunOfEarlierAppend() throws -> Bool {
        guard !context.request.force else { return false }
        while try channel.receive() != nil {}
        guard let summary = channel.summary else { return false }
        return try SQLiteCatalog.hasAppend(db, of: context.table, inputChecksum: summary.inputChecksum.hex)
    }

    private func failure(_ error: SQLiteRowInserter.StepFailure, batch: RecordBatch, row: Int) -> SluiceError {
        let origin = batch.origin(of: row)
        let place = origin.line > 0 ? "\(origin.source):\(origin.line): " : ""
        guard error.isUniqueViolation else {
            return SluiceError(.targetFailure, "\(place)table '\(context.table)': \(error.message)")
        }
        let key = KeyText.describe(context.plan.tableSchema.keyColumns) { column in
            batch.schema.index(of: column).flatMap { batch.value(row: row, column: $0).text } ?? ""
        }
        return SluiceError(
            .keyConflict,
            "\(place)table '\(context.table)': key \(key) already exists; append adds rows without key checks "
                + "(use upsert or insert-only for a keyed table)"
        )
    }
}

/// Key values as they appear in messages: `(symbol=AAPL, date=2024-01-02)`.
enum KeyText {
    static func describe(_ columns: [String], value: (String) -> String) -> String {
        "(" + columns.map { "\($0)=\(value($0))" }.joined(separator: ", ") + ")"
    }

    /// A stored value as message text.
    static func text(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: return "NULL"
        case .int64(let number): return String(number)
        case .double(let number): return String(number)
        case .string(let text): return text
        case .blob(let data): return data.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        }
    }
}
