/// Infers column types from sample text fields: the narrowest type every non-empty sample fits.
///
/// Order of preference: `bool` (`true`/`false` only), `int64`, `decimal(p,s)` (numbers with a point, exact,
/// `s` the most fraction digits seen, `p` 18 or 38), `double` (exponents, `inf`, `nan`), `date`
/// (`YYYY-MM-DD`), `timestamp` (ISO 8601), else `string`. Columns with no value at all become `string`.
public struct SchemaInference: Sendable {
    /// The column names, in order.
    public let names: [String]
    private var states: [ColumnState]
    /// Rows observed.
    public private(set) var rowCount = 0

    struct ColumnState: Sendable {
        var sawValue = false
        var canBool = true
        var canInt = true
        var canDecimal = true
        var canDouble = true
        var canDate = true
        var canTimestamp = true
        var forcedJSON = false
        var integerDigits = 0
        var scale = 0
    }

    /// Starts inference for columns called `names`.
    public init(names: [String]) {
        self.names = names
        self.states = Array(repeating: ColumnState(), count: names.count)
    }

    /// Observes one row of text fields (`nil` for NULL); missing trailing fields count as NULL.
    public mutating func observe(_ row: [String?]) {
        rowCount += 1
        for (index, field) in row.enumerated() where index < states.count {
            guard let field, !field.isEmpty else { continue }
            var bytes = Array(field.utf8)
            bytes.withUnsafeMutableBytes { observe(UnsafeRawBufferPointer($0), column: index) }
        }
    }

    /// Observes that `column` held a nested JSON object or array.
    public mutating func observeJSON(column: Int) {
        states[column].sawValue = true
        states[column].forcedJSON = true
    }

    /// Observes one text field of `column`.
    public mutating func observe(_ field: UnsafeRawBufferPointer, column: Int) {
        guard !field.isEmpty else { return }
        var state = states[column]
        state.sawValue = true
        if state.canBool {
            let lowered = String(decoding: field, as: UTF8.self).lowercased()
            state.canBool = lowered == "true" || lowered == "false"
        }
        if state.canInt { state.canInt = FieldParser.int64(field) != nil }
        if state.canDecimal {
            if let parsed = DecimalText.parse(field) {
                let digits = DecimalText.digitCount(parsed.significand)
                state.integerDigits = max(state.integerDigits, max(0, digits - parsed.scale))
                state.scale = max(state.scale, parsed.scale)
                state.canDecimal = state.integerDigits + state.scale <= ColumnType.maximumDecimalPrecision
            } else {
                state.canDecimal = false
            }
        }
        if state.canDouble { state.canDouble = FieldParser.double(field) != nil }
        if state.canDate { state.canDate = CivilDate.parse(field) != nil }
        if state.canTimestamp { state.canTimestamp = Timestamp.parse(field) != nil }
        states[column] = state
    }

    /// The inferred schema, with `keyColumns` as its key.
    public func schema(keyColumns: [String] = []) -> Schema {
        let columns = zip(names, states).map { name, state in Column(name, Self.type(of: state)) }
        return Schema(columns: columns, keyColumns: keyColumns)
    }

    static func type(of state: ColumnState) -> ColumnType {
        guard state.sawValue else { return .string }
        if state.forcedJSON { return .json }
        if state.canBool { return .bool }
        if state.canInt { return .int64 }
        if state.canDecimal {
            let needed = state.integerDigits + state.scale
            return .decimal(precision: needed <= 18 && state.scale < 18 ? 18 : 38, scale: state.scale)
        }
        if state.canDouble { return .double }
        if state.canDate { return .date }
        if state.canTimestamp { return .timestamp }
        return .string
    }
}
