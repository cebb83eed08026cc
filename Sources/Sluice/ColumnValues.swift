/// A typed array and its null mask: the storage of one column of a ``RecordBatch``.
public struct ColumnVector<Element: Sendable>: Sendable {
    /// One value per row; rows that are NULL hold a placeholder.
    public var values: [Element]
    /// `true` where the row has a value, `false` where it is NULL.
    public var validity: [Bool]

    /// An empty vector with room for `capacity` rows.
    public init(capacity: Int = 0) {
        values = []
        validity = []
        values.reserveCapacity(capacity)
        validity.reserveCapacity(capacity)
    }

    /// A vector holding `values`, all valid.
    public init(_ values: [Element]) {
        self.values = values
        self.validity = Array(repeating: true, count: values.count)
    }

    /// Appends a value.
    @inlinable
    public mutating func append(_ value: Element) {
        values.append(value)
        validity.append(true)
    }

    /// Appends NULL, stored as `placeholder`.
    @inlinable
    public mutating func appendNull(_ placeholder: Element) {
        values.append(placeholder)
        validity.append(false)
    }

    /// Removes the last row (used when a row turns out bad half-way).
    @inlinable
    public mutating func removeLast() {
        values.removeLast()
        validity.removeLast()
    }

    /// The value at `row`, or `nil` when it is NULL.
    @inlinable
    public subscript(row: Int) -> Element? { validity[row] ? values[row] : nil }
}

/// One column of a batch, typed. Decimals are stored as significands at the column's scale,
/// dates as days since the epoch, timestamps as microseconds since the epoch.
public enum ColumnValues: Sendable {
    case bool(ColumnVector<Bool>)
    case int64(ColumnVector<Int64>)
    case double(ColumnVector<Double>)
    case decimal(ColumnVector<Int128>, scale: Int)
    case string(ColumnVector<String>)
    case date(ColumnVector<Int32>)
    case timestamp(ColumnVector<Int64>)
    case bytes(ColumnVector<[UInt8]>)
    case json(ColumnVector<String>)

    /// An empty column for `type`.
    public init(type: ColumnType, capacity: Int) {
        switch type {
        case .bool: self = .bool(ColumnVector(capacity: capacity))
        case .int64: self = .int64(ColumnVector(capacity: capacity))
        case .double: self = .double(ColumnVector(capacity: capacity))
        case .decimal(_, let scale): self = .decimal(ColumnVector(capacity: capacity), scale: scale)
        case .string: self = .string(ColumnVector(capacity: capacity))
        case .date: self = .date(ColumnVector(capacity: capacity))
        case .timestamp: self = .timestamp(ColumnVector(capacity: capacity))
        case .bytes: self = .bytes(ColumnVector(capacity: capacity))
        case .json: self = .json(ColumnVector(capacity: capacity))
        }
    }

    /// Whether row `row` is NULL.
    @inlinable
    public func isNull(_ row: Int) -> Bool {
        switch self {
        case .bool(let vector): return !vector.validity[row]
        case .int64(let vector): return !vector.validity[row]
        case .double(let vector): return !vector.validity[row]
        case .decimal(let vector, _): return !vector.validity[row]
        case .string(let vector): return !vector.validity[row]
        case .date(let vector): return !vector.validity[row]
        case .timestamp(let vector): return !vector.validity[row]
        case .bytes(let vector): return !vector.validity[row]
        case .json(let vector): return !vector.validity[row]
        }
    }

    /// The value at `row` as a ``Value``.
    public func value(at row: Int) -> Value {
        switch self {
        case .bool(let vector): return vector[row].map(Value.bool) ?? .null
        case .int64(let vector): return vector[row].map(Value.int64) ?? .null
        case .double(let vector): return vector[row].map(Value.double) ?? .null
        case .decimal(let vector, let scale):
            return vector[row].map { .decimal(ExactDecimal(significand: $0, scale: scale)) } ?? .null
        case .string(let vector): return vector[row].map(Value.string) ?? .null
        case .date(let vector): return vector[row].map { .date(CivilDate(daysSinceEpoch: $0)) } ?? .null
        case .timestamp(let vector):
            return vector[row].map { .timestamp(Timestamp(microsecondsSinceEpoch: $0)) } ?? .null
        case .bytes(let vector): return vector[row].map(Value.bytes) ?? .null
        case .json(let vector): return vector[row].map(Value.json) ?? .null
        }
    }

    /// The number of rows.
    public var count: Int {
        switch self {
        case .bool(let vector): return vector.validity.count
        case .int64(let vector): return vector.validity.count
        case .double(let vector): return vector.validity.count
        case .decimal(let vector, _): return vector.validity.count
        case .string(let vector): return vector.validity.count
        case .date(let vector): return vector.validity.count
        case .timestamp(let vector): return vector.validity.count
        case .bytes(let vector): return vector.validity.count
        case .json(let vector): return vector.validity.count
        }
    }
}
