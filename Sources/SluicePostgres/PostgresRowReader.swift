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
    /// Folds batches of at most `batchSize` rows of `sql`'s result into `initial` with `body`, and returns the
    /// folded value. `body` runs on the connection's event loop as rows arrive
    /// (``PostgresConnection/reduceRows(_:into:logger:_:)``), so it should do little more than keep or digest a
    /// batch.
    static func reduceBatches<State: Sendable>(
        _ connection: PostgresConnection,
        sql: String,
        schema: Schema,
        table: String,
        batchSize: Int = 4096,
        into initial: State,
        logger: Logger,
        _ body: @escaping @Sendable (inout State, RecordBatch) throws -> Void
    ) async throws -> State {
        try await reduceBatches(
            connection,
            sql: sql,
            schema: schema,
            images: 1,
            table: table,
            batchSize: batchSize,
            into: initial,
            logger: logger
        ) { state, batches in try body(&state, batches[0]) }
    }

    /// Folds batches of at most `batchSize` rows of `sql`'s result, whose columns are `images` row images over
    /// `schema` one after the other (an updated row before and after), into `initial`: `body` gets one batch per
    /// image.
    static func reduceBatches<State: Sendable>(
        _ connection: PostgresConnection,
        sql: String,
        schema: Schema,
        images: Int,
        table: String,
        batchSize: Int = 4096,
        into initial: State,
        logger: Logger,
        _ body: @escaping @Sendable (inout State, [RecordBatch]) throws -> Void
    ) async throws -> State {
        let reading = BatchReading(schema: schema, images: images, table: table, batchSize: batchSize, state: initial)
        var read = try await connection.reduceRows(PostgresQuery(unsafeSQL: sql), into: reading, logger: logger) {
            reading,
            row in
            try reading.append(row)
            if reading.isFull {
                let batches = reading.flush()
                try body(&reading.state, batches)
            }
        }
        if read.hasRows {
            let batches = read.flush()
            try body(&read.state, batches)
        }
        return read.state
    }

    /// The rows of a read not yet handed out as batches, and the state they are folded into.
    private struct BatchReading<State: Sendable>: Sendable {
        let schema: Schema
        let table: String
        let batchSize: Int
        var builders: [RecordBatchBuilder]
        var rowNumber = 0
        var state: State

        init(schema: Schema, images: Int, table: String, batchSize: Int, state: State) {
            self.schema = schema
            self.table = table
            self.batchSize = batchSize
            self.builders = (0..<images).map { _ in
                RecordBatchBuilder(schema: schema, source: table, capacity: batchSize)
            }
            self.state = state
        }

        var isFull: Bool { builders[0].count >= batchSize }
        var hasRows: Bool { builders[0].count > 0 }

        /// Appends one row's images, naming row and column when a cell does not parse.
        mutating func append(_ row: PostgresRow) throws {
            rowNumber += 1
            let width = schema.columns.count
            for (index, cell) in row.enumerated() where index < width * builders.count {
                let column = index % width
                do {
                    try PostgresRowReader.append(
                        cell,
                        column: column,
                        type: schema.columns[column].type,
                        to: &builders[index / width]
                    )
                } catch {
                    throw SluiceError(
                        .targetFailure,
                        "table '\(table)': row \(rowNumber): column '\(schema.columns[column].name)': \(error.reason)"
                    )
                }
            }
            for image in builders.indices { builders[image].endRow(line: 0) }
        }

        /// The rows appended since the last flush, one batch per image.
        mutating func flush() -> [RecordBatch] {
            builders.indices.map { builders[$0].build() }
        }
    }

    fileprivate static func append(
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

    /// For a statement returning `images` row images per row (``reduceBatches(_:sql:schema:images:table:batchSize:into:logger:_:)``):
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
        return try await reduceBatches(
            connection,
            sql: sql,
            schema: schema,
            images: images,
            table: table,
            into: (checksums: Array(repeating: ContentChecksum.zero, count: images), rowCount: 0),
            logger: logger
        ) { sums, batches in
            for (image, batch) in batches.enumerated() { sums.checksums[image].add(digester.checksum(of: batch)) }
            sums.rowCount += batches[0].count
        }
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
