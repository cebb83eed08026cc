/// How a table is split by time: one partition per day, month or year of a date or timestamp column.
///
/// Written `COLUMN:GRANULARITY` on the command line (`--partition-by date:month`). A target that partitions
/// (PostgreSQL range partitions; later the file target's folders) creates the partitions the data needs as it
/// arrives; a target that cannot partition rejects a request that asks for it.
public struct Partitioning: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The length of one partition.
    public enum Granularity: String, Sendable, Hashable, Codable, CaseIterable {
        /// One partition per calendar day.
        case day
        /// One partition per calendar month.
        case month
        /// One partition per calendar year.
        case year
    }

    /// The column whose value picks the partition: a `date` or `timestamp` column.
    public var column: String
    /// How long one partition's range is.
    public var granularity: Granularity

    /// Creates a partitioning by `column`, one partition per `granularity`.
    public init(column: String, granularity: Granularity) {
        self.column = column
        self.granularity = granularity
    }

    /// Parses `COLUMN:GRANULARITY` (`date:month`); the granularity is `day`, `month` or `year`.
    ///
    /// - Throws: ``SluiceError`` (``SluiceError/Code/invalidRequest``) naming the text when it is not of that form.
    public init(parsing text: String) throws {
        let usage = "expected COLUMN:GRANULARITY with GRANULARITY day, month or year (e.g. date:month)"
        guard let colon = text.lastIndex(of: ":") else {
            throw SluiceError(.invalidRequest, "partitioning '\(text)': \(usage)")
        }
        let column = String(text[..<colon])
        let name = text[text.index(after: colon)...].lowercased()
        guard !column.isEmpty, let granularity = Granularity(rawValue: name) else {
            throw SluiceError(.invalidRequest, "partitioning '\(text)': \(usage)")
        }
        self.init(column: column, granularity: granularity)
    }

    /// `COLUMN:GRANULARITY`, the form ``init(parsing:)`` reads.
    public var description: String { "\(column):\(granularity.rawValue)" }

    /// Checks that `schema` can be partitioned this way: the column exists, holds dates or timestamps, and belongs
    /// to the key when there is one (a unique key must contain the partition column).
    ///
    /// - Throws: ``SluiceError`` naming the table and the column.
    public func check(_ schema: Schema, table: String) throws {
        guard let found = schema.column(named: column) else {
            throw SluiceError(
                .invalidRequest,
                "table '\(table)': partition column '\(column)' is not in the input "
                    + "(columns: \(schema.columnNames.joined(separator: ", ")))"
            )
        }
        guard found.type == .date || found.type == .timestamp else {
            throw SluiceError(
                .invalidRequest,
                "table '\(table)': partition column '\(column)' is \(found.type.name); partitions need a date or "
                    + "timestamp column"
            )
        }
        if !schema.keyColumns.isEmpty && !schema.keyColumns.contains(column) {
            throw SluiceError(
                .invalidKey,
                "table '\(table)': the key (\(schema.keyColumns.joined(separator: ", "))) does not include the "
                    + "partition column '\(column)'; a partitioned table's key must include it"
            )
        }
    }

    /// The partition holding `date`: its first day and the first day after it.
    public func range(containing date: CivilDate) -> (lower: CivilDate, upper: CivilDate) {
        let (year, month, day) = date.components
        switch granularity {
        case .day:
            return (date, date.adding(days: 1))
        case .month:
            let lower = CivilDate(year: year, month: month, day: 1) ?? date
            let upper =
                month == 12
                ? CivilDate(year: year + 1, month: 1, day: 1) : CivilDate(year: year, month: month + 1, day: 1)
            return (lower, upper ?? date.adding(days: 31 - day + 1))
        case .year:
            let lower = CivilDate(year: year, month: 1, day: 1) ?? date
            return (lower, CivilDate(year: year + 1, month: 1, day: 1) ?? lower.adding(days: 366))
        }
    }

    /// The suffix naming the partition that starts on `lower`: `2024` (year), `2024_01` (month), `2024_01_31` (day).
    public func suffix(startingOn lower: CivilDate) -> String {
        let (year, month, day) = lower.components
        let yyyy = year < 0 ? "m" + Self.padded(-year, 4) : Self.padded(year, 4)
        switch granularity {
        case .year: return yyyy
        case .month: return yyyy + "_" + Self.padded(month, 2)
        case .day: return yyyy + "_" + Self.padded(month, 2) + "_" + Self.padded(day, 2)
        }
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
