/// A rule every record must pass. Return `nil` when the row is fine, or the reason it is not.
///
/// Built-ins are in ``Validators``; any closure works through ``ClosureValidator``.
public protocol RecordValidator: Sendable {
    /// A short name for the rule, recorded with each reject (`not-null`, `range`, …).
    var name: String { get }

    /// The reason `row` fails the rule, with the column it concerns, or `nil` when it passes.
    func check(_ row: RowView) -> ValidationFailure?
}

/// Why a row failed a rule.
public struct ValidationFailure: Sendable, Hashable {
    /// The column concerned, if one is.
    public var column: String?
    /// The reason, as a sentence fragment (`close -1.5000 is not positive`).
    public var reason: String

    /// Creates a failure.
    public init(column: String? = nil, reason: String) {
        self.column = column
        self.reason = reason
    }
}

/// One row of a batch, read by column name. Values are decoded on access only.
public struct RowView: Sendable {
    /// The batch the row belongs to.
    public let batch: RecordBatch
    /// The row's index in the batch.
    public let row: Int

    /// Creates a view of row `row` of `batch`.
    public init(batch: RecordBatch, row: Int) {
        self.batch = batch
        self.row = row
    }

    /// The value of the column called `name`, or `.null` when there is no such column.
    public subscript(name: String) -> Value {
        guard let index = batch.schema.index(of: name) else { return .null }
        return batch.columns[index].value(at: row)
    }

    /// Where the row came from.
    public var origin: RecordOrigin { batch.origin(of: row) }
}

/// A validator made of a closure.
public struct ClosureValidator: RecordValidator {
    public let name: String
    private let body: @Sendable (RowView) -> ValidationFailure?

    /// A rule called `name` that `body` decides.
    public init(_ name: String, _ body: @escaping @Sendable (RowView) -> ValidationFailure?) {
        self.name = name
        self.body = body
    }

    public func check(_ row: RowView) -> ValidationFailure? { body(row) }
}
