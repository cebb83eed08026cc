/// Incremental loads with a cursor column: tells which rows are at or below the previous load's watermark and
/// tracks the new watermark (the largest cursor seen).
///
/// The watermark is kept in the version's metadata as `cursor_column` and `cursor_watermark` (the canonical text
/// of the value); values compare by their type (decimals exactly, dates and timestamps chronologically).
public struct CursorTracker: Sendable {
    public static let columnKey = "cursor_column"
    public static let watermarkKey = "cursor_watermark"

    public let column: String
    private let index: Int
    private let previous: Value?
    private var highest: Value?

    /// A tracker for `plan`'s cursor column, or `nil` when the load has none.
    public init?(plan: LoadPlan, parent: DataVersion?) throws {
        guard let column = plan.cursorColumn, let index = plan.tableSchema.index(of: column) else { return nil }
        self.column = column
        self.index = index
        let type = plan.tableSchema.columns[index].type
        if let parent, parent.metadata[Self.columnKey] == column, let text = parent.metadata[Self.watermarkKey] {
            previous = Self.value(text, type: type)
        } else {
            previous = nil
        }
        highest = previous
    }

    /// Records row `row`'s cursor; returns whether it is at or below the previous watermark.
    public mutating func observe(row: Int, of batch: RecordBatch) -> Bool {
        let value = batch.value(row: row, column: index)
        if value.isNull { return false }
        if let current = highest {
            if let order = Self.compare(value, current), order > 0 { highest = value }
        } else {
            highest = value
        }
        guard let previous, let order = Self.compare(value, previous) else { return false }
        return order <= 0
    }

    /// The metadata the version records.
    public var metadata: [String: String] {
        var metadata = [Self.columnKey: column]
        if let text = highest?.text { metadata[Self.watermarkKey] = text }
        return metadata
    }

    /// `value`'s canonical text parsed back as a value of `type`.
    public static func value(_ text: String, type: ColumnType) -> Value? {
        switch type {
        case .int64: return Int64(text).map(Value.int64)
        case .double: return Double(text).map(Value.double)
        case .decimal: return ExactDecimal(text).map(Value.decimal)
        case .date: return CivilDate(text).map(Value.date)
        case .timestamp: return Timestamp(text).map(Value.timestamp)
        case .bool: return Bool(text).map(Value.bool)
        case .string, .json: return .string(text)
        case .bytes: return nil
        }
    }

    /// -1, 0 or 1 as `left` is before, equal to or after `right`; `nil` when they do not compare.
    public static func compare(_ left: Value, _ right: Value) -> Int? {
        func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : (a == b ? 0 : 1) }
        switch (left, right) {
        case (.int64(let a), .int64(let b)): return order(a, b)
        case (.double(let a), .double(let b)): return order(a, b)
        case (.date(let a), .date(let b)): return order(a, b)
        case (.timestamp(let a), .timestamp(let b)): return order(a, b)
        case (.string(let a), .string(let b)), (.json(let a), .json(let b)): return order(a, b)
        case (.bool(let a), .bool(let b)): return order(a ? 1 : 0, b ? 1 : 0)
        default:
            guard let a = left.decimalValue, let b = right.decimalValue else { return nil }
            return order(a, b)
        }
    }
}
