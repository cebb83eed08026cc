/// The built-in validators: not-null, range, positive price, OHLC consistency, date window and pattern.
public enum Validators {
    /// The columns must not be NULL (or, for strings, empty).
    public static func notNull(_ columns: [String]) -> some RecordValidator {
        ClosureValidator("not-null") { row in
            for column in columns {
                switch row[column] {
                case .null: return ValidationFailure(column: column, reason: "is NULL")
                case .string(let text) where text.isEmpty: return ValidationFailure(column: column, reason: "is empty")
                default: continue
                }
            }
            return nil
        }
    }

    /// The numeric column must lie in `minimum...maximum` (either bound optional); NULL passes.
    public static func range(_ column: String, minimum: Double? = nil, maximum: Double? = nil) -> some RecordValidator {
        ClosureValidator("range") { row in
            guard let value = row[column].doubleValue else { return nil }
            if let minimum, value < minimum {
                return ValidationFailure(column: column, reason: "\(row[column].text ?? "") is below \(minimum)")
            }
            if let maximum, value > maximum {
                return ValidationFailure(column: column, reason: "\(row[column].text ?? "") is above \(maximum)")
            }
            return nil
        }
    }

    /// Prices must be greater than zero; NULL passes.
    public static func positivePrice(
        _ columns: [String] = ["open", "high", "low", "close", "adj_close"]
    )
        -> some RecordValidator
    {
        ClosureValidator("positive-price") { row in
            for column in columns {
                let value = row[column]
                if let number = value.decimalValue, number.significand <= 0 {
                    return ValidationFailure(column: column, reason: "\(number) is not positive")
                }
                if case .double(let number) = value, !(number > 0) {
                    return ValidationFailure(column: column, reason: "\(number) is not positive")
                }
            }
            return nil
        }
    }

    /// `low <= open, close <= high` (and `low <= high`); rows missing any of them pass.
    public static func ohlcConsistency(
        open: String = "open",
        high: String = "high",
        low: String = "low",
        close: String = "close"
    ) -> some RecordValidator {
        ClosureValidator("ohlc") { row in
            guard let o = row[open].decimalValue, let h = row[high].decimalValue, let l = row[low].decimalValue,
                let c = row[close].decimalValue
            else { return nil }
            if l > h { return ValidationFailure(column: low, reason: "low \(l) is above high \(h)") }
            if o < l || o > h { return ValidationFailure(column: open, reason: "open \(o) is outside [\(l), \(h)]") }
            if c < l || c > h { return ValidationFailure(column: close, reason: "close \(c) is outside [\(l), \(h)]") }
            return nil
        }
    }

    /// The date column must lie in `from...to` (either bound optional); NULL passes.
    public static func dateWindow(
        _ column: String,
        from: CivilDate? = nil,
        to: CivilDate? = nil
    )
        -> some RecordValidator
    {
        ClosureValidator("date-window") { row in
            let date: CivilDate
            switch row[column] {
            case .date(let value): date = value
            case .timestamp(let value):
                date = CivilDate(daysSinceEpoch: Int32(value.microsecondsSinceEpoch / 86_400_000_000))
            default: return nil
            }
            if let from, date < from { return ValidationFailure(column: column, reason: "\(date) is before \(from)") }
            if let to, date > to { return ValidationFailure(column: column, reason: "\(date) is after \(to)") }
            return nil
        }
    }

    /// The text of the column must match the regular expression `pattern` entirely; NULL passes.
    public static func pattern(_ column: String, _ pattern: String) throws -> some RecordValidator {
        let regex = try Regex(pattern)
        let box = RegexBox(regex: regex)
        return ClosureValidator("pattern") { row in
            guard let text = row[column].text else { return nil }
            if (try? box.regex.wholeMatch(in: text)) == nil {
                return ValidationFailure(
                    column: column,
                    reason: "\(quotedForMessage(text)) does not match /\(pattern)/"
                )
            }
            return nil
        }
    }
}

/// `Regex` is not `Sendable`; a compiled pattern is only read, so sharing it is safe.
private struct RegexBox: @unchecked Sendable {
    let regex: Regex<AnyRegexOutput>
}
