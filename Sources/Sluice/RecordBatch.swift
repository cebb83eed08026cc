/// Where a record came from: a source (file path or label) and a line, for errors and reject files.
public struct RecordOrigin: Sendable, Hashable {
    /// The file path or the caller's label.
    public var source: String
    /// The 1-based line the record starts on, or 0 when the source has no lines.
    public var line: Int

    /// Creates an origin.
    public init(source: String, line: Int) {
        self.source = source
        self.line = line
    }
}

/// A columnar batch of records: one typed array per column with a null mask, plus the rows a reader had to
/// reject while building it.
///
/// Batches are a few thousand rows; every stage streams them, so memory stays flat whatever the input size.
public struct RecordBatch: Sendable {
    /// The schema of the columns.
    public let schema: Schema
    /// One entry per schema column, in schema order.
    public var columns: [ColumnValues]
    /// The file path or label the rows came from.
    public var source: String
    /// The 1-based source line of each row (empty when the rows did not come from lines).
    public var lines: [Int]
    /// Rows that could not be decoded (wrong column count, text in a numeric column, …), in input order.
    public var rejects: [RowReject]

    /// Creates a batch from typed columns.
    public init(
        schema: Schema,
        columns: [ColumnValues],
        source: String = "",
        lines: [Int] = [],
        rejects: [RowReject] = []
    ) {
        precondition(columns.count == schema.columns.count, "one column per schema column")
        self.schema = schema
        self.columns = columns
        self.source = source
        self.lines = lines
        self.rejects = rejects
    }

    /// The number of rows.
    public var count: Int { columns.first?.count ?? 0 }

    /// The value at `row` in column `column`.
    public func value(row: Int, column: Int) -> Value { columns[column].value(at: row) }

    /// The whole row as values, in schema order.
    public func row(_ row: Int) -> [Value] { columns.map { $0.value(at: row) } }

    /// Where row `row` came from.
    public func origin(of row: Int) -> RecordOrigin {
        RecordOrigin(source: source, line: row < lines.count ? lines[row] : 0)
    }

    /// A batch built from rows of values, checked against the schema. For tests, samples and `Codable` input.
    public init(schema: Schema, rows: [[Value]], source: String = "") throws(RowReject) {
        var builder = RecordBatchBuilder(schema: schema, source: source, capacity: rows.count)
        for (index, row) in rows.enumerated() {
            for (column, value) in row.enumerated() {
                try builder.append(value, column: column, line: index + 1)
            }
            builder.endRow(line: index + 1)
        }
        self = builder.build()
    }

    /// The rows where `keep` is true, in order; rejects are kept.
    public func filtered(_ keep: [Bool]) -> RecordBatch {
        var builder = RecordBatchBuilder(schema: schema, source: source, capacity: count)
        for row in 0..<count where keep[row] {
            builder.copyRow(row, from: self)
        }
        var batch = builder.build()
        batch.rejects = rejects
        return batch
    }
}
