import GRDB
import GRDBSQLite
import Sluice

/// Reads rows of a query whose result columns are a table's columns in schema order, as ``Sluice/RecordBatch``es.
///
/// Text columns are parsed from their stored bytes with the same parsers as file readers (decimals exactly);
/// numbers are read as numbers.
enum SQLiteRowReader {
    /// Calls `body` with batches of at most `batchSize` rows of `sql`'s result.
    static func forEachBatch(
        _ db: Database,
        sql: String,
        arguments: StatementArguments = StatementArguments(),
        schema: Schema,
        table: String,
        batchSize: Int = 4096,
        _ body: (RecordBatch) throws -> Void
    ) throws {
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(arguments)
        let handle = statement.sqliteStatement
        var builder = RecordBatchBuilder(schema: schema, source: table, capacity: batchSize)
        var rowNumber = 0
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
                sqlite3_reset(handle)
                throw SluiceError(.targetFailure, "table '\(table)': \(message)")
            }
            rowNumber += 1
            for column in 0..<schema.columns.count {
                do {
                    try append(handle, column: column, type: schema.columns[column].type, to: &builder)
                } catch {
                    sqlite3_reset(handle)
                    throw SluiceError(
                        .targetFailure,
                        "table '\(table)': row \(rowNumber): column '\(schema.columns[column].name)': "
                            + "\(error.reason)"
                    )
                }
            }
            builder.endRow(line: 0)
            if builder.count >= batchSize { try body(builder.build()) }
        }
        sqlite3_reset(handle)
        if builder.count > 0 { try body(builder.build()) }
    }

    @inline(__always)
    private static func append(
        _ handle: SQLiteStatement,
        column: Int,
        type: ColumnType,
        to builder: inout RecordBatchBuilder
    ) throws(RowReject) {
        let index = Int32(column)
        let storage = sqlite3_column_type(handle, index)
        if storage == SQLITE_NULL { return builder.appendNull(column: column) }
        switch type {
        case .bool where storage == SQLITE_INTEGER:
            try builder.append(.bool(sqlite3_column_int64(handle, index) != 0), column: column)
        case .int64 where storage == SQLITE_INTEGER:
            try builder.append(.int64(sqlite3_column_int64(handle, index)), column: column)
        case .double where storage == SQLITE_INTEGER || storage == SQLITE_FLOAT:
            try builder.append(.double(sqlite3_column_double(handle, index)), column: column)
        case .bytes:
            let count = Int(sqlite3_column_bytes(handle, index))
            let bytes =
                count > 0 ? Array(UnsafeRawBufferPointer(start: sqlite3_column_blob(handle, index), count: count)) : []
            try builder.append(.bytes(bytes), column: column)
        default:
            let text = sqlite3_column_text(handle, index)
            let count = Int(sqlite3_column_bytes(handle, index))
            try builder.append(text: UnsafeRawBufferPointer(start: text, count: count), column: column, line: 0)
        }
    }
}
