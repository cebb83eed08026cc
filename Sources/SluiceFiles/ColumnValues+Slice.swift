import Sluice

extension ColumnVector {
    /// The rows in `range`.
    func slice(_ range: Range<Int>) -> ColumnVector {
        var vector = ColumnVector()
        vector.values = Array(values[range])
        vector.validity = Array(validity[range])
        return vector
    }
}

extension ColumnValues {
    /// The rows in `range` (the column itself when the range covers it).
    func slice(_ range: Range<Int>) -> ColumnValues {
        guard range != 0..<count else { return self }
        switch self {
        case .bool(let vector): return .bool(vector.slice(range))
        case .int64(let vector): return .int64(vector.slice(range))
        case .double(let vector): return .double(vector.slice(range))
        case .decimal(let vector, let scale): return .decimal(vector.slice(range), scale: scale)
        case .string(let vector): return .string(vector.slice(range))
        case .date(let vector): return .date(vector.slice(range))
        case .timestamp(let vector): return .timestamp(vector.slice(range))
        case .bytes(let vector): return .bytes(vector.slice(range))
        case .json(let vector): return .json(vector.slice(range))
        }
    }
}
