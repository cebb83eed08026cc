import Sluice

/// The folder a row goes to in a partitioned table, Hive style so that duckdb, Spark and pyarrow read the
/// partition values back: `year=2025`, `year=2025/month=08`, `year=2025/month=08/day=01`. Rows whose partition
/// column is NULL go to `year=__HIVE_DEFAULT_PARTITION__`.
///
/// The folder names are built from dates only, never from text in the data, so they cannot leave the table's
/// folder; each part is still checked by ``PathComponent``.
struct PartitionFolder {
    /// The folder for NULL partition values.
    static let nullFolder = "year=__HIVE_DEFAULT_PARTITION__"

    let partitioning: Partitioning
    /// The partition column's index in the table schema.
    let columnIndex: Int
    private var lastDay: Int32?
    private var lastName = ""

    /// A namer for rows of `schema`.
    ///
    /// - Throws: ``Sluice/SluiceError`` when the column is missing or not a date or timestamp.
    init(partitioning: Partitioning, schema: Schema, table: String) throws {
        try partitioning.check(schema, table: table)
        self.partitioning = partitioning
        self.columnIndex = schema.index(of: partitioning.column)!
    }

    /// The folder of row `row` of `batch`.
    mutating func name(row: Int, of batch: RecordBatch) -> String {
        let day: Int32?
        switch batch.columns[columnIndex] {
        case .date(let vector): day = vector[row]
        case .timestamp(let vector):
            day = vector[row].map {
                Int32(truncatingIfNeeded: $0 >= 0 ? $0 / 86_400_000_000 : ($0 + 1) / 86_400_000_000 - 1)
            }
        default: day = nil
        }
        guard let day else { return Self.nullFolder }
        if day == lastDay { return lastName }
        let name = Self.name(day: day, granularity: partitioning.granularity)
        lastDay = day
        lastName = name
        return name
    }

    /// The folder of the day `day` (days since 1970-01-01).
    static func name(day: Int32, granularity: Partitioning.Granularity) -> String {
        let (year, month, dayOfMonth) = CivilDate(daysSinceEpoch: day).components
        let yearPart = "year=" + padded(year, 4)
        switch granularity {
        case .year: return yearPart
        case .month: return yearPart + "/month=" + padded(month, 2)
        case .day: return yearPart + "/month=" + padded(month, 2) + "/day=" + padded(dayOfMonth, 2)
        }
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(abs(value))
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
