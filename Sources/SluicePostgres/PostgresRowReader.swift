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
        try await forEachBatch(
            connection,
            sql: sql,
            schema: schema,
            images: 1,
            table: table,
            batchSize: batchSize,
            logger: logger
        ) { batches in try await body(batches[0]) }
    }

    /// Calls `body` with batches of at most `batchSize` rows of `sql`'s result, whose columns are `images` row
    /// images over `schema` one after the other (an updated row before and after): one batch per image.
    static func forEachBatch(
        _ connection: PostgresConnection,
        sql: String,
        schema: Schema,
        images: Int,
        table: String,
        batchSize: Int = 4096,
        logger: Logger,
        _ body: ([RecordBatch]) async throws -> Void
    ) async throws {
        let width = schema.columns.count
        var builders = (0..<images).map { _ in
            RecordBatchBuilder(schema: schema, source: table, capacity: batchSize)
        }
        var rowNumber = 0
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
            rowNumber += 1
            for (index, cell) in row.enumerated() where index < width * images {
                let column = index % width
                do {
                    try append(cell, column: column, type: schema.columns[column].type, to: &builders[index / width])
                } catch {
                    throw SluiceError(
                        .targetFailure,
                        "table '\(table)': row \(rowNumber): column '\(schema.columns[column].name)': \(error.reason)"
                    )
                }
            }
            for image in builders.indices { builders[image].endRow(line: 0) }
            if builders[0].count >= batchSize {
                try await body(builders.indices.map { builders[$0].build() })
            }
        }
        if builders[0].count > 0 { try await body(builders.indices.map { builders[$0].build() }) }
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
        let read = try await checksums(connection, sql: sql, schema: schema, images: 1, table: table, logger: logger)
        return (read.checksums[0], read.rowCount)
    }

    /// For a statement returning `images` row images per row (``forEachBatch(_:sql:schema:images:table:batchSize:logger:_:)``):
    /// the sum of the row digests of each image, and the number of rows.
    static func checksums(
        _ connection: PostgresConnection,
        sql: String,
        schema: Schema,
        images: Int,
        table: String,
        logger: Logger
    ) async throws -> (checksums: [ContentChecksum], rowCount: Int) {
        let digester = RowDigester(schema: schema)
        var checksums = Array(repeating: ContentChecksum.zero, count: images)
        var count = 0
        try await forEachBatch(
            connection,
            sql: sql,
            schema: schema,
            images: images,
            table: table,
            logger: logger
        ) { batches in
            for (image, batch) in batches.enumerated() { checksums[image].add(digester.checksum(of: batch)) }
            count += batches[0].count
        }
        return (checksums, count)
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
