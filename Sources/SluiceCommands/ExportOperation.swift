import Logging
import Sluice
import SluiceArchive
import SluicePipeline

/// One export of a table to another target: what `sluice export` and a pipeline's export jobs run.
struct ExportOperation: Sendable {
    /// The source target's URL.
    var source: String
    var table: String
    /// The destination URL, with its `format` and `compression` options.
    var destination: String
    var destinationTable: String?
    /// A window of days, if any.
    var window: DayWindow?
    var sinceLast = false

    /// Opens both targets, exports, closes them.
    func run(logger: Logger = Logger(label: "sluice")) async throws -> ExportResult {
        try await withLoader(source, factories: Targets.factories, logger: logger) { source in
            try await withLoader(destination, factories: Targets.factories, logger: logger) { destination in
                guard let schema = try await source.schema(of: table) else {
                    throw SluiceError(.notFound, "table '\(table)' does not exist in \(source.target)")
                }
                let request = ExportRequest(
                    table: table,
                    destinationTable: destinationTable,
                    selection: try window?.selection(schema: schema, table: table),
                    sinceLast: sinceLast
                )
                return try await Exporter.export(request, from: source, to: destination)
            }
        }
    }

    /// One line on an export's outcome, as `sluice export` prints it.
    static func text(_ result: ExportResult) -> String {
        let rows = Formatting.count(result.rows)
        let place = "\(result.destination) table '\(result.destinationTable)'"
        switch result.mode {
        case .upToDate:
            return "up to date: \(place) already holds source version \(result.sourceVersionID ?? "-") of "
                + "'\(result.table)' (\(rows) rows, checksum \(result.checksum))"
        case .full, .incremental:
            let changes =
                "\(Formatting.count(result.inserted)) inserted, \(Formatting.count(result.updated)) updated, "
                + "\(Formatting.count(result.deleted)) deleted"
            return "exported \(rows) rows of '\(result.table)' (\(result.selection), source version "
                + "\(result.sourceVersionID ?? "-")) to \(place): \(result.mode.rawValue), \(changes); version "
                + "\(result.version?.id ?? "unchanged"), checksum \(result.checksum)"
        }
    }
}
