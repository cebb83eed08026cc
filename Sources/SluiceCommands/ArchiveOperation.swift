import Logging
import Sluice
import SluiceArchive
import SluiceFiles

/// One archive run on a table: rows past the policy's cutoff written to the archive, read back and checked,
/// then deleted from the source — what `sluice archive` and a pipeline's archive jobs run.
struct ArchiveOperation: Sendable {
    var table: String
    /// The cutoff, the column, the archive URL and table.
    var policy: ArchivePolicy

    /// Opens the source at `url`, archives, closes it.
    func run(source url: String, logger: Logger = Logger(label: "sluice")) async throws -> ArchiveResult {
        try await withLoader(url, factories: Targets.factories, logger: logger) { source in
            try await run(from: source, logger: logger)
        }
    }

    /// Archives from an open source.
    func run(from source: any Loader, logger: Logger = Logger(label: "sluice")) async throws -> ArchiveResult {
        guard let schema = try await source.schema(of: table) else {
            throw SluiceError(.notFound, "table '\(table)' does not exist in \(source.target)")
        }
        var request = ArchiveRequest(
            table: table,
            selection: try policy.selection(today: DayOption.today, schema: schema, table: table),
            archiveTable: policy.archiveTable
        )
        request.afterStep = FaultInjection.archiveStep
        return try await withLoader(policy.archive, factories: Targets.factories, logger: logger) { archive in
            try await Archiver.archive(request, from: source, to: try Self.fileTarget(archive))
        }
    }

    /// `loader` as the file target an archive must be.
    static func fileTarget(_ loader: any Loader) throws -> FileLoader {
        guard let files = loader as? FileLoader else {
            throw SluiceError(.invalidRequest, "\(loader.target): an archive is a file target (file:DIR)")
        }
        return files
    }
}
