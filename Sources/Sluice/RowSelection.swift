/// A window of days on one date or timestamp column: the rows an export or an archive takes.
///
/// `from` is inclusive and `before` exclusive, both optional; a timestamp is in the window when its UTC day is.
/// Rows whose column is NULL are never selected.
public struct RowSelection: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The date or timestamp column the window applies to.
    public var column: String
    /// The first day selected, if any.
    public var from: CivilDate?
    /// The first day no longer selected, if any.
    public var before: CivilDate?

    /// A window on `column` from `from` (inclusive) to `before` (exclusive).
    public init(column: String, from: CivilDate? = nil, before: CivilDate? = nil) {
        self.column = column
        self.from = from
        self.before = before
    }

    /// `date >= 2024-01-01 and date < 2025-01-01`, or `all rows` for an open window.
    public var description: String {
        let bounds = [from.map { "\(column) >= \($0)" }, before.map { "\(column) < \($0)" }].compactMap { $0 }
        return bounds.isEmpty ? "all rows" : bounds.joined(separator: " and ")
    }

    /// Whether a day is in the window.
    public func contains(day: CivilDate) -> Bool {
        if let from, day < from { return false }
        if let before, !(day < before) { return false }
        return true
    }

    /// The column's index in `schema`, checking that it exists and holds dates or timestamps.
    ///
    /// - Throws: ``SluiceError`` (``SluiceError/Code/invalidRequest``) naming the table and the column.
    public func columnIndex(in schema: Schema, table: String) throws -> Int {
        guard let index = schema.index(of: column) else {
            throw SluiceError(
                .invalidRequest,
                "table '\(table)' has no column '\(column)' to select by (columns: "
                    + schema.columnNames.joined(separator: ", ") + ")"
            )
        }
        switch schema.columns[index].type {
        case .date, .timestamp: return index
        default:
            throw SluiceError(
                .invalidRequest,
                "table '\(table)': column '\(column)' is \(schema.columns[index].type.name); a selection needs a date "
                    + "or timestamp column"
            )
        }
    }

    /// Which rows of `batch` are in the window (`column` is the index from ``columnIndex(in:table:)``).
    public func mask(_ batch: RecordBatch, column: Int) -> [Bool] {
        var keep = [Bool](repeating: false, count: batch.count)
        switch batch.columns[column] {
        case .date(let days):
            for row in 0..<batch.count where days.validity[row] {
                keep[row] = contains(day: CivilDate(daysSinceEpoch: days.values[row]))
            }
        case .timestamp(let micros):
            for row in 0..<batch.count where micros.validity[row] {
                keep[row] = contains(day: Self.day(ofMicroseconds: micros.values[row]))
            }
        default:
            break
        }
        return keep
    }

    /// The UTC day of a timestamp.
    static func day(ofMicroseconds micros: Int64) -> CivilDate {
        let perDay: Int64 = 86_400_000_000
        let days = micros >= 0 ? micros / perDay : (micros - perDay + 1) / perDay
        return CivilDate(daysSinceEpoch: Int32(clamping: days))
    }
}

extension RowSelection {
    /// The date or timestamp column a selection on `schema` uses when none is named: the only one in the key, else
    /// the only one in the table.
    ///
    /// - Throws: ``SluiceError`` (``SluiceError/Code/invalidRequest``) when there is none or several to choose from.
    public static func defaultColumn(in schema: Schema, table: String) throws -> String {
        let dated = schema.columns.filter { column in
            switch column.type {
            case .date, .timestamp: return true
            default: return false
            }
        }.map(\.name)
        let inKey = dated.filter { schema.keyColumns.contains($0) }
        if inKey.count == 1 { return inKey[0] }
        if dated.count == 1 { return dated[0] }
        throw SluiceError(
            .invalidRequest,
            dated.isEmpty
                ? "table '\(table)' has no date or timestamp column to select by"
                : "table '\(table)' has several date or timestamp columns (\(dated.joined(separator: ", "))); name one "
                    + "with --date-column"
        )
    }
}

extension RecordStream {
    /// The rows of this stream in `selection` (batches keep their source and lines).
    ///
    /// - Throws: ``SluiceError`` when the selection's column is missing or not a date or timestamp.
    public func selecting(_ selection: RowSelection?, table: String) throws -> RecordStream {
        guard let selection, selection.from != nil || selection.before != nil else { return self }
        let column = try selection.columnIndex(in: schema, table: table)
        let upstream = self
        return RecordStream(
            schema: schema,
            source: source,
            byteCounter: byteCounter,
            SelectedBatches(upstream: upstream, selection: selection, column: column)
        )
    }
}

/// The batches of a stream narrowed to a ``RowSelection``; empty batches are skipped.
struct SelectedBatches: AsyncSequence, Sendable {
    typealias Element = RecordBatch
    let upstream: RecordStream
    let selection: RowSelection
    let column: Int

    func makeAsyncIterator() -> Iterator {
        Iterator(upstream: upstream.makeAsyncIterator(), selection: selection, column: column)
    }

    struct Iterator: AsyncIteratorProtocol {
        var upstream: RecordStream.Iterator
        let selection: RowSelection
        let column: Int

        mutating func next() async throws -> RecordBatch? {
            while let batch = try await upstream.next() {
                let mask = selection.mask(batch, column: column)
                if mask.allSatisfy({ $0 }) { return batch }
                let selected = batch.filtered(mask)
                if selected.count > 0 { return selected }
            }
            return nil
        }
    }
}
