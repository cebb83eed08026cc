import Foundation
import Sluice
import SluiceArchive
import SluiceFiles
import SluiceFormats
import SluiceTesting
import Testing

/// Exports from SQLite, PostgreSQL and the file target into the file target: lineage, selections, and incremental
/// exports that add up to a full one.
@Suite("Export")
struct ExportTests {
    @Test("a full export copies the table exactly and records its lineage", arguments: SourceTarget.exportSources)
    func fullExport(source: SourceTarget) async throws {
        try await source.withLoader { loader in
            let rows = History.rows()
            let loaded = try await loader.loadPrices(rows, .upsert)
            let destination = Scratch.files()
            let result = try await Exporter.export(ExportRequest(table: History.table), from: loader, to: destination)
            #expect(result.mode == .full)
            #expect(result.rows == rows.count)
            #expect(result.checksum == History.checksum(rows))
            #expect(result.sourceVersionID == loaded.version?.id)
            let version = try #require(result.version)
            #expect(version.metadata["export.source"] == loader.target)
            #expect(version.metadata["export.source_table"] == History.table)
            #expect(version.metadata["export.source_version"] == loaded.version?.id)
            #expect(version.metadata["export.source_checksum"] == loaded.checksum)
            #expect(version.metadata["export.selection"] == "all rows")
            #expect(try await destination.contents(History.table) == texts(rows))
            #expect(try await destination.verify(table: History.table).isValid)
            #expect(try await destination.schema(of: History.table)?.keyColumns == PriceRows.key)
        }
    }

    @Test(
        "incremental exports after each load leave the destination equal to one full export",
        arguments: SourceTarget.exportSources
    )
    func incrementalEqualsFull(source: SourceTarget) async throws {
        try await source.withLoader { loader in
            let incremental = Scratch.files()
            let first = History.rows()
            try await loader.loadPrices(first, .upsert)
            let initial = try await Exporter.export(
                ExportRequest(table: History.table, sinceLast: true),
                from: loader,
                to: incremental
            )
            #expect(initial.mode == .full)

            // An upsert that changes a third of the rows and adds a symbol.
            let changed =
                History.rows(symbols: 1, revision: 7)
                + History.rows(symbols: 4, step: 30).filter {
                    $0[0] == .string("S3")
                }
            try await loader.loadPrices(changed, .upsert)
            let second = try await Exporter.export(
                ExportRequest(table: History.table, sinceLast: true),
                from: loader,
                to: incremental
            )
            #expect(second.mode == .incremental)
            #expect(second.inserted == changed.count - first.count / 3)
            #expect(second.updated == first.count / 3)
            #expect(second.deleted == 0)

            // An incremental load with deletions: symbol S2 goes away.
            let current = try await loader.contents(History.table)
            let kept =
                History.rows(symbols: 2, revision: 7).prefix(first.count / 3)
                + History.rows(symbols: 2).suffix(first.count / 3)
            try await loader.loadPrices(Array(kept), .incremental) { $0.deleteMissing = true }
            let third = try await Exporter.export(
                ExportRequest(table: History.table, sinceLast: true),
                from: loader,
                to: incremental
            )
            #expect(third.mode == .incremental)
            #expect(third.deleted > 0)
            #expect(try await loader.contents(History.table) != current)

            let full = Scratch.files()
            let whole = try await Exporter.export(ExportRequest(table: History.table), from: loader, to: full)
            #expect(try await incremental.checksum() == whole.checksum)
            #expect(try await incremental.contents(History.table) == full.contents(History.table))
            #expect(try await incremental.contents(History.table) == loader.contents(History.table))
            #expect(try await incremental.verify(table: History.table).isValid)
            #expect(try await incremental.versions(table: History.table).count == 3)
        }
    }

    @Test("an export since the last one with no new source version writes nothing", arguments: [SourceTarget.sqlite])
    func upToDate(source: SourceTarget) async throws {
        try await source.withLoader { loader in
            try await loader.loadPrices(History.rows(), .upsert)
            let destination = Scratch.files()
            let request = ExportRequest(table: History.table, sinceLast: true)
            let first = try await Exporter.export(request, from: loader, to: destination)
            let again = try await Exporter.export(request, from: loader, to: destination)
            #expect(again.mode == .upToDate)
            #expect(again.version == nil)
            #expect(again.checksum == first.checksum)
            #expect(again.rows == first.rows)
            #expect(try await destination.versions(table: History.table).count == 1)
            // A full export always writes.
            let full = try await Exporter.export(ExportRequest(table: History.table), from: loader, to: destination)
            #expect(full.mode == .full)
        }
    }

    @Test("a date window exports only its rows, with their checksum", arguments: SourceTarget.exportSources)
    func window(source: SourceTarget) async throws {
        try await source.withLoader { loader in
            let rows = History.rows()
            try await loader.loadPrices(rows, .upsert)
            let selection = RowSelection(column: "date", from: CivilDate("2023-06-01"), before: CivilDate("2024-01-01"))
            let destination = Scratch.files(FileOutputOptions(format: .csv, compression: .zstd))
            let result = try await Exporter.export(
                ExportRequest(table: History.table, destinationTable: "h2_2023", selection: selection),
                from: loader,
                to: destination
            )
            let expected = History.before(History.from(rows, "2023-06-01"), "2024-01-01")
            #expect(result.rows == expected.count)
            #expect(result.checksum == History.checksum(expected))
            #expect(result.selection == "date >= 2023-06-01 and date < 2024-01-01")
            #expect(try await destination.contents("h2_2023") == texts(expected))
            #expect(result.version?.metadata["export.selection"] == result.selection)
        }
    }

    @Test("a missing table, a missing column and a column that is not a date each fail in one line")
    func errors() async throws {
        try await SourceTarget.sqlite.withLoader { loader in
            try await loader.loadPrices(History.rows(days: 20), .upsert)
            let destination = Scratch.files()
            let cases: [(ExportRequest, String)] = [
                (ExportRequest(table: "nope"), "table 'nope' does not exist"),
                (
                    ExportRequest(
                        table: History.table,
                        selection: RowSelection(column: "day", before: CivilDate("2024-01-01"))
                    ),
                    "table 'prices' has no column 'day' to select by"
                ),
                (
                    ExportRequest(
                        table: History.table,
                        selection: RowSelection(column: "close", before: CivilDate("2024-01-01"))
                    ),
                    "column 'close' is decimal(18,4); a selection needs a date or timestamp column"
                ),
            ]
            for (request, message) in cases {
                let error = try await #require(throws: SluiceError.self) {
                    try await Exporter.export(request, from: loader, to: destination)
                }
                #expect(error.message.contains(message), "\(error.message)")
                #expect(!error.message.contains("\n"))
            }
            #expect(try await destination.versions(table: History.table).isEmpty)
        }
    }
}
