import Sluice

/// Reads CSV or TSV records into ``Sluice/RecordBatch``es of a known schema.
///
/// Field `i` of every record goes to the schema column the header mapped it to; schema columns the file lacks
/// are NULL. An empty unquoted field is NULL; a quoted empty field (`""`) is the empty string in string and
/// json columns, empty bytes in bytes columns (whose text is hex), and NULL in the others. A record with the wrong number of fields, or a field that does not
/// parse as its column's type, becomes a ``Sluice/RowReject`` in the batch (the loader's max-errors decides).
struct CSVReader: RecordReader {
    let schema: Schema
    private var tokenizer: CSVTokenizer
    private var builder: RecordBatchBuilder
    private let fieldOfColumn: [Int]
    private let fieldCount: Int
    private let emptyQuotedIsNull: [Bool]
    private let batchSize: Int
    private var hasPendingRecord: Bool
    private var isFinished = false

    /// A reader for records after the header. `hasPendingRecord` says that the tokenizer's current record is
    /// data (a file without a header whose first record was looked at).
    init(
        tokenizer: CSVTokenizer,
        schema: Schema,
        fieldOfColumn: [Int],
        fieldCount: Int,
        batchSize: Int,
        hasPendingRecord: Bool
    ) {
        self.tokenizer = tokenizer
        self.schema = schema
        self.fieldOfColumn = fieldOfColumn
        self.fieldCount = fieldCount
        self.batchSize = max(1, batchSize)
        self.hasPendingRecord = hasPendingRecord
        emptyQuotedIsNull = schema.columns.map { $0.type != .string && $0.type != .json && $0.type != .bytes }
        builder = RecordBatchBuilder(schema: schema, source: tokenizer.path, capacity: self.batchSize)
    }

    mutating func next() throws -> RecordBatch? {
        while !isFinished && builder.count + builder.rejectCount < batchSize {
            if hasPendingRecord {
                hasPendingRecord = false
            } else if try !tokenizer.nextRecord() {
                isFinished = true
                tokenizer.window.input.close()
                break
            }
            appendRecord()
        }
        guard builder.count + builder.rejectCount > 0 else { return nil }
        return builder.build()
    }

    private mutating func appendRecord() {
        let line = tokenizer.recordLine
        let count = tokenizer.fields.count
        guard count == fieldCount else {
            builder.rejectRow(
                RowReject(source: tokenizer.path, line: line, reason: "expected \(fieldCount) fields, found \(count)")
            )
            return
        }
        for column in 0..<fieldOfColumn.count {
            let index = fieldOfColumn[column]
            guard index >= 0 else {
                builder.appendNull(column: column)
                continue
            }
            let field = tokenizer.fields[index]
            if field.isEmpty && (!field.isQuoted || emptyQuotedIsNull[column]) {
                builder.appendNull(column: column)
                continue
            }
            do {
                try builder.append(text: tokenizer.field(index), column: column, line: line)
            } catch {
                var reject = error
                (reject.line, reject.position) = tokenizer.location(of: field.isQuoted ? field.start - 1 : field.start)
                builder.rejectRow(reject)
                return
            }
        }
        builder.endRow(line: line)
    }
}
