/// Builds a ``RecordBatch`` row by row from text fields (what CSV and JSON readers see) or ``Value``s.
///
/// A reader calls ``append(text:column:line:position:)`` or ``appendNull(column:)`` once per column and then
/// ``endRow(line:)``; when a field does not fit its column, it calls ``rejectRow(_:)`` instead of `endRow`, and
/// the half-built row is dropped. Field parsing works on raw bytes: no `String` per number.
public struct RecordBatchBuilder: Sendable {
    /// The schema being built.
    public let schema: Schema
    /// The source named in origins and rejects.
    public let source: String
    private var columns: [ColumnValues]
    private var lines: [Int]
    private var rejects: [RowReject] = []
    private var filledInRow = 0

    /// Creates a builder for `schema` with room for `capacity` rows.
    public init(schema: Schema, source: String = "", capacity: Int = 4096) {
        self.schema = schema
        self.source = source
        self.columns = schema.columns.map { ColumnValues(type: $0.type, capacity: capacity) }
        self.lines = []
        self.lines.reserveCapacity(capacity)
    }

    /// The number of complete rows so far.
    public var count: Int { lines.count }

    /// The number of rows rejected so far.
    public var rejectCount: Int { rejects.count }

    /// Appends NULL to `column` in the current row.
    public mutating func appendNull(column: Int) {
        filledInRow += 1
        switch columns[column] {
        case .bool(var vector):
            mutate(column) {
                vector.appendNull(false)
                return .bool(vector)
            }
        case .int64(var vector):
            mutate(column) {
                vector.appendNull(0)
                return .int64(vector)
            }
        case .double(var vector):
            mutate(column) {
                vector.appendNull(0)
                return .double(vector)
            }
        case .decimal(var vector, let scale):
            mutate(column) {
                vector.appendNull(0)
                return .decimal(vector, scale: scale)
            }
        case .string(var vector):
            mutate(column) {
                vector.appendNull("")
                return .string(vector)
            }
        case .date(var vector):
            mutate(column) {
                vector.appendNull(0)
                return .date(vector)
            }
        case .timestamp(var vector):
            mutate(column) {
                vector.appendNull(0)
                return .timestamp(vector)
            }
        case .bytes(var vector):
            mutate(column) {
                vector.appendNull([])
                return .bytes(vector)
            }
        case .json(var vector):
            mutate(column) {
                vector.appendNull("")
                return .json(vector)
            }
        }
    }

    /// Parses UTF-8 `text` as a value of `column`'s type and appends it to the current row.
    ///
    /// - Throws: a ``RowReject`` naming the source, `line`, `position` and column when the text does not fit.
    public mutating func append(
        text: UnsafeRawBufferPointer,
        column: Int,
        line: Int,
        position: Int = 0
    )
        throws(RowReject)
    {
        let type = schema.columns[column].type
        switch columns[column] {
        case .string(var vector):
            mutate(column) {
                vector.append(String(decoding: text, as: UTF8.self))
                return .string(vector)
            }
        case .json(var vector):
            mutate(column) {
                vector.append(String(decoding: text, as: UTF8.self))
                return .json(vector)
            }
        case .int64(var vector):
            guard let value = FieldParser.int64(text) else { throw reject(text, type, column, line, position) }
            mutate(column) {
                vector.append(value)
                return .int64(vector)
            }
        case .decimal(var vector, let scale):
            guard case .decimal(let precision, _) = type else { preconditionFailure("decimal column") }
            switch DecimalText.parse(text, precision: precision, scale: scale) {
            case .success(let value):
                mutate(column) {
                    vector.append(value)
                    return .decimal(vector, scale: scale)
                }
            case .failure(let failure):
                throw reject(text, type, column, line, position, failure: failure)
            }
        case .date(var vector):
            guard let value = CivilDate.parse(text) else { throw reject(text, type, column, line, position) }
            mutate(column) {
                vector.append(value)
                return .date(vector)
            }
        case .timestamp(var vector):
            guard let value = Timestamp.parse(text) else { throw reject(text, type, column, line, position) }
            mutate(column) {
                vector.append(value)
                return .timestamp(vector)
            }
        case .double(var vector):
            guard let value = FieldParser.double(text) else { throw reject(text, type, column, line, position) }
            mutate(column) {
                vector.append(value)
                return .double(vector)
            }
        case .bool(var vector):
            guard let value = FieldParser.bool(text) else { throw reject(text, type, column, line, position) }
            mutate(column) {
                vector.append(value)
                return .bool(vector)
            }
        case .bytes(var vector):
            mutate(column) {
                vector.append(Array(text))
                return .bytes(vector)
            }
        }
        filledInRow += 1
    }

    /// Appends a ``Value`` to `column`, converting where exact (int to decimal, text to a typed value).
    public mutating func append(_ value: Value, column: Int, line: Int = 0) throws(RowReject) {
        if case .null = value {
            appendNull(column: column)
            return
        }
        if let converted = ValueConversion.convert(value, to: schema.columns[column].type) {
            appendConverted(converted, column: column)
            filledInRow += 1
            return
        }
        guard let text = value.text else {
            appendNull(column: column)
            return
        }
        var bytes = Array(text.utf8)
        let count = bytes.count
        try bytes.withUnsafeMutableBufferPointer { (buffer) throws(RowReject) in
            try append(
                text: UnsafeRawBufferPointer(start: buffer.baseAddress, count: count),
                column: column,
                line: line
            )
        }
    }

    /// Closes the current row, recording its source line.
    public mutating func endRow(line: Int) {
        precondition(filledInRow == columns.count, "every column must be filled before endRow")
        lines.append(line)
        filledInRow = 0
    }

    /// Drops the current, half-built row and records why.
    public mutating func rejectRow(_ reject: RowReject) {
        if filledInRow > 0 {
            for column in 0..<filledInRow { removeLast(column) }
        }
        filledInRow = 0
        rejects.append(reject)
    }

    /// Copies row `row` of `batch` (same schema) into this builder as a complete row.
    public mutating func copyRow(_ row: Int, from batch: RecordBatch) {
        for column in 0..<columns.count {
            let value = batch.columns[column].value(at: row)
            if case .null = value {
                appendNull(column: column)
            } else {
                appendConverted(value, column: column)
                filledInRow += 1
            }
        }
        endRow(line: row < batch.lines.count ? batch.lines[row] : 0)
    }

    /// The batch built so far; the builder starts over empty.
    public mutating func build() -> RecordBatch {
        precondition(filledInRow == 0, "a row is half built")
        let batch = RecordBatch(schema: schema, columns: columns, source: source, lines: lines, rejects: rejects)
        columns = schema.columns.map { ColumnValues(type: $0.type, capacity: Swift.max(lines.count, 16)) }
        lines.removeAll(keepingCapacity: true)
        rejects.removeAll()
        return batch
    }

    // MARK: Private

    private mutating func mutate(_ column: Int, _ body: () -> ColumnValues) {
        // Swapping the column out first keeps its storage uniquely referenced, so appends do not copy.
        columns[column] = .bool(ColumnVector())
        columns[column] = body()
    }

    /// Appends a value already of the column's Swift representation (from ``ValueConversion``).
    private mutating func appendConverted(_ value: Value, column: Int) {
        let taken = columns[column]
        columns[column] = .bool(ColumnVector())
        switch (taken, value) {
        case (.bool(var vector), .bool(let v)):
            vector.append(v)
            columns[column] = .bool(vector)
        case (.int64(var vector), .int64(let v)):
            vector.append(v)
            columns[column] = .int64(vector)
        case (.double(var vector), .double(let v)):
            vector.append(v)
            columns[column] = .double(vector)
        case (.decimal(var vector, let scale), .decimal(let v)):
            vector.append(v.rescaled(to: scale)?.significand ?? v.significand)
            columns[column] = .decimal(vector, scale: scale)
        case (.string(var vector), .string(let v)):
            vector.append(v)
            columns[column] = .string(vector)
        case (.date(var vector), .date(let v)):
            vector.append(v.daysSinceEpoch)
            columns[column] = .date(vector)
        case (.timestamp(var vector), .timestamp(let v)):
            vector.append(v.microsecondsSinceEpoch)
            columns[column] = .timestamp(vector)
        case (.bytes(var vector), .bytes(let v)):
            vector.append(v)
            columns[column] = .bytes(vector)
        case (.json(var vector), .json(let v)):
            vector.append(v)
            columns[column] = .json(vector)
        default: preconditionFailure("value of the wrong type for column \(column)")
        }
    }

    private mutating func removeLast(_ column: Int) {
        let taken = columns[column]
        columns[column] = .bool(ColumnVector())
        switch taken {
        case .bool(var vector):
            vector.removeLast()
            columns[column] = .bool(vector)
        case .int64(var vector):
            vector.removeLast()
            columns[column] = .int64(vector)
        case .double(var vector):
            vector.removeLast()
            columns[column] = .double(vector)
        case .decimal(var vector, let scale):
            vector.removeLast()
            columns[column] = .decimal(vector, scale: scale)
        case .string(var vector):
            vector.removeLast()
            columns[column] = .string(vector)
        case .date(var vector):
            vector.removeLast()
            columns[column] = .date(vector)
        case .timestamp(var vector):
            vector.removeLast()
            columns[column] = .timestamp(vector)
        case .bytes(var vector):
            vector.removeLast()
            columns[column] = .bytes(vector)
        case .json(var vector):
            vector.removeLast()
            columns[column] = .json(vector)
        }
    }

    private func reject(
        _ text: UnsafeRawBufferPointer,
        _ type: ColumnType,
        _ column: Int,
        _ line: Int,
        _ position: Int,
        failure: DecimalText.DecimalParseFailure? = nil
    ) -> RowReject {
        let found = quotedForMessage(String(decoding: text, as: UTF8.self))
        let reason: String
        switch failure {
        case .tooManyFractionDigits?:
            reason = "\(found) has more decimal places than \(type.name) allows"
        case .outOfRange?:
            reason = "\(found) is out of range for \(type.name)"
        default:
            reason = "expected \(type.name), found \(found)"
        }
        return RowReject(
            source: source,
            line: line,
            position: position,
            column: schema.columns[column].name,
            reason: reason
        )
    }
}
