import ArgumentParser
import Sluice

/// `--where-date-from D --where-date-to D [--date-column C]`: a window of days (both ends included).
struct SelectionOptions: ParsableArguments {
    @Option(name: .customLong("where-date-from"), help: "Only rows on or after this day (YYYY-MM-DD).")
    var from: String?

    @Option(name: .customLong("where-date-to"), help: "Only rows on or before this day (YYYY-MM-DD).")
    var to: String?

    @Option(
        name: .customLong("date-column"),
        help: "The date or timestamp column to select by (default: the only one in the key, else in the table)."
    )
    var column: String?

    func validate() throws {
        _ = try DayOption.parse(from, option: "--where-date-from")
        _ = try DayOption.parse(to, option: "--where-date-to")
    }

    /// Whether a window was given.
    var isEmpty: Bool { from == nil && to == nil }

    /// The selection on `table` of `schema` (`nil` without a window).
    func selection(schema: Schema, table: String) throws -> RowSelection? {
        guard !isEmpty else { return nil }
        return RowSelection(
            column: try column ?? RowSelection.defaultColumn(in: schema, table: table),
            from: try DayOption.parse(from, option: "--where-date-from"),
            before: try DayOption.parse(to, option: "--where-date-to")?.adding(days: 1)
        )
    }
}

/// Days and durations given on the command line.
enum DayOption {
    /// `YYYY-MM-DD`, or `nil` for no value.
    static func parse(_ text: String?, option: String) throws -> CivilDate? {
        guard let text else { return nil }
        guard let day = CivilDate(text) else {
            throw ValidationError("\(option): '\(text)' is not a day (YYYY-MM-DD)")
        }
        return day
    }

    /// `365d`, `52w`, `2y` (365 days each) or a bare number of days.
    static func days(_ text: String, option: String) throws -> Int {
        let units: [Character: Int] = ["d": 1, "w": 7, "y": 365]
        let unit = text.last.flatMap { units[$0] }
        let number = unit == nil ? text : String(text.dropLast())
        guard let count = Int(number), count >= 0 else {
            throw ValidationError("\(option): '\(text)' is not a duration (365d, 52w, 2y)")
        }
        return count * (unit ?? 1)
    }

    /// Today's date in UTC.
    static var today: CivilDate {
        CivilDate(daysSinceEpoch: Int32(Timestamp.now.microsecondsSinceEpoch / 86_400_000_000))
    }
}

/// `--format F --compression C`: how a file target writes, added to its URL's options.
struct FileFormatOptions: ParsableArguments {
    @Option(help: "The file format: parquet (default), csv, tsv, json or jsonl.")
    var format: String?

    @Option(help: "The compression: zstd (default), gzip, bzip2, lz4, none (Parquet: also snappy, lz4_raw).")
    var compression: String?

    /// `url` with the options added to its query (only for `file:` URLs).
    func applied(to url: String) throws -> String {
        let options = [format.map { "format=\($0)" }, compression.map { "compression=\($0)" }].compactMap { $0 }
        guard !options.isEmpty else { return url }
        guard url.lowercased().hasPrefix("file:") else {
            throw ValidationError(
                "--format and --compression apply to a file target (file:DIR), not \(URLRedaction.redacted(url))"
            )
        }
        return url + (url.contains("?") ? "&" : "?") + options.joined(separator: "&")
    }
}
