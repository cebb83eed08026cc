import Logging
import NIOCore
import PostgresNIO
import Sluice

/// Reads rows of a query whose result columns are a table's columns in schema order, selected with
/// ``PostgresSyntax/readList(_:prefix:)`` (every column as text except `bytea`), as ``Sluice/RecordBatch``es.
///
/// Text is parsed with the same parsers as file readers: numerics exactly at the column's scale, dates
/// `YYYY-MM-DD`, timestamps as the server prints them in UTC (the connection's `TimeZone` is `UTC`).
enum PostgresRowReader {
    /// Calls `body` with batches of at most `batchSize` rows of `sql`'s result.
    static func forEachBatch(
        _ connection: PostgresConnection,
        sql: String,
        schema: Schema,
        table: String,
        batchSize: Int = 4096,
        logger: Logger,
        _ body: (RecordBatch) async throws -> Void
    ) async throws {
        var builder = RecordBatchBuilder(schema: schema, source: table, capacity: batchSize)
        var rowNumber = 0
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
            rowNumber += 1
            for (index, cell) in row.enumerated() where index < schema.columns.count {
                do {
                    try append(cell, column: index, type: schema.columns[index].type, to: &builder)
                } catch {
                    throw SluiceError(
                        .targetFailure,
                        "table '\(table)': row \(rowNumber): column '\(schema.columns[index].name)': \(error.reason)"
                    )
                }
            }
            builder.endRow(line: 0)
            if builder.count >= batchSize { try await body(builder.build()) }
        }
        if builder.count > 0 { try await body(builder.build()) }
    }

    private static func append(
        _ cell: PostgresCell,
        column: Int,
        type: ColumnType,
        to builder: inout RecordBatchBuilder
    ) throws(RowReject) {
        guard let bytes = cell.bytes else { return builder.appendNull(column: column) }
        if type == .bytes {
            let raw = bytes.readableBytesView
            if cell.format == .text, raw.starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "x")]) {
                try builder.append(.bytes(hexDecoded(raw.dropFirst(2))), column: column)
            } else {
                try builder.append(.bytes(Array(raw)), column: column)
            }
            return
        }
        try bytes.withUnsafeReadableBytes { (raw) throws(RowReject) in
            try builder.append(text: raw, column: column, line: 0)
        }
    }

    /// Hex digits as bytes (`bytea`'s text output without its `\x`).
    static func hexDecoded(_ digits: some Collection<UInt8>) -> [UInt8] {
        func nibble(_ digit: UInt8) -> UInt8 {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
            default: return 0
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var high: UInt8?
        for digit in digits {
            if let first = high {
                bytes.append(first << 4 | nibble(digit))
                high = nil
            } else {
                high = nibble(digit)
            }
        }
        return bytes
    }

    /// The sum of the row digests of the rows `sql` selects (over `schema`) and their count.
    static func checksum(
        _ connection: PostgresConnection,
        sql: String,
        schema: Schema,
        table: String,
        logger: Logger
    ) async throws -> (checksum: ContentChecksum, rowCount: Int) {
        let digester = RowDigester(schema: schema)
        var checksum = ContentChecksum.zero
        var count = 0
        try await forEachBatch(connection, sql: sql, schema: schema, table: table, logger: logger) { batch in
            checksum.add(digester.checksum(of: batch))
            count += batch.count
        }
        return (checksum, count)
    }

    /// The checksum and row count of the whole table.
    static func tableChecksum(
        _ connection: PostgresConnection,
        table: String,
        schema: Schema,
        logger: Logger
    ) async throws -> (checksum: ContentChecksum, rowCount: Int) {
        try await checksum(
            connection,
            sql: "SELECT \(PostgresSyntax.readList(schema.columns)) FROM \(PostgresSyntax.quote(table))",
            schema: schema,
            table: table,
            logger: logger
        )
    }
}
