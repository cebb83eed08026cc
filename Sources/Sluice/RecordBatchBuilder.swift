/// Builds a ``RecordBatch`` row by row from text fields (what CSV and JSON readers see) or ``Value``s.
///
/// A reader calls ``append(text:column:line:position:)`` or ``appendNull(column:)`` once per column and then
/// ``endRow(line:)``; when a field does not fit its column, it calls ``rejectRow(_:)`` instead of `endRow`, and
/// the half-built row is dropped. Field parsing works on raw bytes: no `String` per number.
///
/// Values accumulate in plain typed arrays, one per column, grouped by Swift element type (`int64s` holds the
/// int64 and timestamp columns, `strings` the string and json columns, …) and appended in place; the
/// ``ColumnValues`` enum is only assembled in ``build()``. This keeps the per-field cost free of reference
/// counting, which is what dominated an enum-per-append design.
public struct RecordBatchBuilder: Sendable {
    /// The schema being built.
    public let schema: Schema
    /// The source named in origins and rejects.
    public let source: String
    private let types: [ColumnType]
    /// For each column, its index in the typed store of its element type.
    private let slots: [Int]
    /// How many columns each ``Store`` holds.
    private let storeSizes: [Int]
    private var validity: [[Bool]]
    private var bools: [[Bool]] = []
    private var int64s: [[Int64]] = []
    private var doubles: [[Double]] = []
    private var decimals: [[Int128]] = []
    private var strings: [[String]] = []
    private var dates: [[Int32]] = []
    private var blobs: [[[UInt8]]] = []
    private var lines: [Int]
    private var rejects: [RowReject] = []
    private var filledInRow = 0

    /// Creates a builder for `schema` with room for `capacity` rows.
    public init(schema: Schema, source: String = "", capacity: Int = 4096) {
        self.schema = schema
        self.source = source
        types = schema.columns.map(\.type)
        var storeSizes = [Int](repeating: 0, count: Store.allCases.count)
        slots = types.map { type in
            let store = Store(type).rawValue
            storeSizes[store] += 1
            return storeSizes[store] - 1
        }
        self.storeSizes = storeSizes
        validity = []
        lines = []
        lines.reserveCapacity(capacity)
        allocate(capacity: capacity)
    }

    /// The number of complete rows so far.
    public var count: Int { lines.count }

    /// The number of rows rejected so far.
    public var rejectCount: Int { rejects.count }

    /// Appends NULL to `column` in the current row.
    public mutating func appendNull(column: Int) {
        filledInRow += 1
        validity[column].append(false)
        let slot = slots[column]
        switch types[column] {
        case .bool: bools[slot].append(false)
        case .int64, .timestamp: int64s[slot].append(0)
        case .double: doubles[slot].append(0)
        case .decimal: decimals[slot].append(0)
        case .string, .json: strings[slot].append("")
        case .date: dates[slot].append(0)
        case .bytes: blobs[slot].append([])
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
    ) throws(RowReject) {
        let type = types[column]
        let slot = slots[column]
        switch type {
        case .string, .json:
            strings[slot].append(String(decoding: text, as: UTF8.self))
        case .int64:
            guard let value = FieldParser.int64(text) else { throw reject(text, type, column, line, position) }
            int64s[slot].append(value)
        case .decimal(let precision, let scale):
            switch DecimalText.parse(text, precision: precision, scale: scale) {
            case .success(let value): decimals[slot].append(value)
            case .failure(let failure): throw reject(text, type, column, line, position, failure: failure)
            }
        case .date:
            guard let value = CivilDate.parse(text) else { throw reject(text, type, column, line, position) }
            dates[slot].append(value)
        case .timestamp:
            guard let value = Timestamp.parse(text) else { throw reject(text, type, column, line, position) }
            int64s[slot].append(value)
        case .double:
            guard let value = FieldParser.double(text) else { throw reject(text, type, column, line, position) }
            doubles[slot].append(value)
        case .bool:
            guard let value = FieldParser.bool(text) else { throw reject(text, type, column, line, position) }
            bools[slot].append(value)
        case .bytes:
            guard let value = Self.hexBytes(text) else { throw reject(text, type, column, line, position) }
            blobs[slot].append(value)
        }
        validity[column].append(true)
        filledInRow += 1
    }

    /// The bytes written as hex text (`00ff`, or PostgreSQL's `\\x00ff`): the text form of a bytes value in
    /// every text format Sluice reads and writes. `nil` when `text` is not an even number of hex digits.
    static func hexBytes(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        var start = 0
        if text.count >= 2 && text[0] == UInt8(ascii: "\\") && (text[1] | 0x20) == UInt8(ascii: "x") { start = 2 }
        guard (text.count - start) % 2 == 0 else { return nil }
        func nibble(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((text.count - start) / 2)
        var index = start
        while index < text.count {
            guard let high = nibble(text[index]), let low = nibble(text[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// Appends a ``Value`` to `column`, converting where exact (int to decimal, text to a typed value).
    public mutating func append(_ value: Value, column: Int, line: Int = 0) throws(RowReject) {
        if case .null = value {
            appendNull(column: column)
            return
        }
        if let converted = ValueConversion.convert(value, to: types[column]) {
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
        precondition(filledInRow == types.count, "every column must be filled before endRow")
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
        for column in 0..<types.count {
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
        var columns: [ColumnValues] = []
        columns.reserveCapacity(types.count)
        for (column, type) in types.enumerated() {
            let slot = slots[column]
            let valid = validity[column]
            switch type {
            case .bool: columns.append(.bool(Self.vector(bools[slot], valid)))
            case .int64: columns.append(.int64(Self.vector(int64s[slot], valid)))
            case .timestamp: columns.append(.timestamp(Self.vector(int64s[slot], valid)))
            case .double: columns.append(.double(Self.vector(doubles[slot], valid)))
            case .decimal(_, let scale): columns.append(.decimal(Self.vector(decimals[slot], valid), scale: scale))
            case .string: columns.append(.string(Self.vector(strings[slot], valid)))
            case .json: columns.append(.json(Self.vector(strings[slot], valid)))
            case .date: columns.append(.date(Self.vector(dates[slot], valid)))
            case .bytes: columns.append(.bytes(Self.vector(blobs[slot], valid)))
            }
        }
        let batch = RecordBatch(schema: schema, columns: columns, source: source, lines: lines, rejects: rejects)
        allocate(capacity: Swift.max(lines.count, 16))
        lines.removeAll(keepingCapacity: true)
        rejects.removeAll()
        return batch
    }

    // MARK: Private

    private static func vector<Element>(_ values: [Element], _ validity: [Bool]) -> ColumnVector<Element> {
        var vector = ColumnVector<Element>()
        vector.values = values
        vector.validity = validity
        return vector
    }

    /// Fresh, empty storage with room for `capacity` rows (the previous arrays went into a batch).
    private mutating func allocate(capacity: Int) {
        func fresh<Element>(_ store: Store?) -> [[Element]] {
            let count = store.map { storeSizes[$0.rawValue] } ?? types.count
            return (0..<count).map { _ in
                var array: [Element] = []
                array.reserveCapacity(capacity)
                return array
            }
        }
        validity = fresh(nil)
        bools = fresh(.bool)
        int64s = fresh(.int64)
        doubles = fresh(.double)
        decimals = fresh(.decimal)
        strings = fresh(.string)
        dates = fresh(.date)
        blobs = fresh(.blob)
    }

    /// The typed array family a column's values live in.
    private enum Store: Int, CaseIterable {
        case bool, int64, double, decimal, string, date, blob

        init(_ type: ColumnType) {
            switch type {
            case .bool: self = .bool
            case .int64, .timestamp: self = .int64
            case .double: self = .double
            case .decimal: self = .decimal
            case .string, .json: self = .string
            case .date: self = .date
            case .bytes: self = .blob
            }
        }
    }

    /// Appends a value already of the column's Swift representation (from ``ValueConversion``).
    private mutating func appendConverted(_ value: Value, column: Int) {
        let slot = slots[column]
        switch (types[column], value) {
        case (.bool, .bool(let v)): bools[slot].append(v)
        case (.int64, .int64(let v)): int64s[slot].append(v)
        case (.double, .double(let v)): doubles[slot].append(v)
        case (.decimal(_, let scale), .decimal(let v)):
            decimals[slot].append(v.rescaled(to: scale)?.significand ?? v.significand)
        case (.string, .string(let v)), (.json, .json(let v)): strings[slot].append(v)
        case (.date, .date(let v)): dates[slot].append(v.daysSinceEpoch)
        case (.timestamp, .timestamp(let v)): int64s[slot].append(v.microsecondsSinceEpoch)
        case (.bytes, .bytes(let v)): blobs[slot].append(v)
        default: preconditionFailure("value of the wrong type for column \(column)")
        }
        validity[column].append(true)
    }

    private mutating func removeLast(_ column: Int) {
        validity[column].removeLast()
        let slot = slots[column]
        switch types[column] {
        case .bool: bools[slot].removeLast()
        case .int64, .timestamp: int64s[slot].removeLast()
        case .double: doubles[slot].removeLast()
        case .decimal: decimals[slot].removeLast()
        case .string, .json: strings[slot].removeLast()
        case .date: dates[slot].removeLast()
        case .bytes: blobs[slot].removeLast()
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
