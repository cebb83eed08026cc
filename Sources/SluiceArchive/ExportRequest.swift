import Sluice

/// What to export: a source table, an optional window of days, and whether only what changed since the last export
/// to the same destination is written.
public struct ExportRequest: Sendable {
    /// The source table.
    public var table: String
    /// The destination table (by default the source table's name).
    public var destinationTable: String?
    /// The rows to export (all when `nil`).
    public var selection: RowSelection?
    /// Write only what changed since the last export of this source table and selection to the destination: nothing
    /// when the source has no newer version, else the changed rows (keyed tables; a keyless table is exported
    /// whole).
    public var sinceLast: Bool
    /// Free metadata recorded in the destination's version, beside the lineage.
    public var metadata: [String: String]

    /// Creates a request.
    public init(
        table: String,
        destinationTable: String? = nil,
        selection: RowSelection? = nil,
        sinceLast: Bool = false,
        metadata: [String: String] = [:]
    ) {
        self.table = table
        self.destinationTable = destinationTable
        self.selection = selection
        self.sinceLast = sinceLast
        self.metadata = metadata
    }
}
