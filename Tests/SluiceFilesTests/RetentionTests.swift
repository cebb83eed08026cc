import Foundation
import Sluice
import SluiceFiles
import SluiceFormats
import SluiceTesting
import Testing

/// `retain`: old versions go, the files only they listed go (or move to the archive), the latest stays intact.
@Suite("File target retention")
struct RetentionTests {
    /// Four replaces of the table: each version lists one file of its own.
    func fourVersions(_ lake: Lake) async throws -> [DataVersion] {
        for month in 1...4 {
            try await lake.load(Quotes.rows(months: month...month), .replace)
        }
        return try await lake.loader.versions(table: Quotes.table)
    }

    @Test("keep-versions removes the older versions and the files only they listed")
    func keepVersions() async throws {
        try await Lake.with { lake in
            let versions = try await fourVersions(lake)
            #expect(lake.dataFiles().count == 4)
            let report = try await lake.loader.retain(table: Quotes.table, policy: RetentionPolicy(keepVersions: 2))
            #expect(report.removedVersions == versions.prefix(2).map(\.id))
            #expect(report.keptVersions == 2)
            #expect(report.removedFiles == 2)
            #expect(report.removedBytes > 0)
            #expect(try await lake.loader.versions(table: Quotes.table).map(\.id) == versions.suffix(2).map(\.id))
            #expect(lake.dataFiles().count == 2)
            #expect(try await lake.loader.verify(table: Quotes.table).isValid)
            #expect(try await lake.contents() == texts(Quotes.rows(months: 4...4)))
            let again = try await lake.loader.retain(table: Quotes.table, policy: RetentionPolicy(keepVersions: 2))
            #expect(again.removedVersions.isEmpty && again.removedFiles == 0)
        }
    }

    @Test("keep-days keeps young versions whatever their number; the latest is always kept")
    func keepDays() async throws {
        try await Lake.with { lake in
            let versions = try await fourVersions(lake)
            let young = try await lake.loader.retain(table: Quotes.table, policy: RetentionPolicy(keepDays: 1))
            #expect(young.removedVersions.isEmpty)
            let later = Date().addingTimeInterval(3 * 86_400)
            let old = try await lake.loader.retain(
                table: Quotes.table,
                policy: RetentionPolicy(keepDays: 1),
                now: later
            )
            #expect(old.removedVersions == versions.dropLast().map(\.id))
            #expect(try await lake.loader.versions(table: Quotes.table).map(\.id) == [versions[3].id])
            #expect(try await lake.loader.verify(table: Quotes.table).isValid)
        }
    }

    @Test("files shared with a kept version stay; archived files are compressed and readable")
    func archive() async throws {
        try await Lake.with(output: FileOutputOptions(format: .csv, compression: .none)) { lake in
            try await lake.load(Quotes.rows(months: 1...2), .upsert) {
                $0.partitioning = Partitioning(column: "date", granularity: .month)
            }
            try await lake.load([Quotes.row("S0", "2024-02-02", "99.0000", 202)], .upsert)
            let archive = lake.directory.appendingPathComponent("archive")
            let report = try await lake.loader.retain(
                table: Quotes.table,
                policy: RetentionPolicy(keepVersions: 1, archiveDirectory: archive.path)
            )
            // January's file is listed by the kept version too: it stays. February's first file goes.
            #expect(report.removedFiles == 1)
            #expect(report.archivedFiles == 2)
            #expect(lake.dataFiles().count == 2)
            let archived = (FileManager.default.enumerator(atPath: archive.path)?.allObjects as? [String] ?? [])
                .filter { $0.hasSuffix(".zst") || $0.hasSuffix(".json") }.sorted()
            #expect(archived.count == 2)
            let data = try #require(archived.first { $0.hasSuffix(".csv.zst") })
            #expect(data.hasPrefix("quotes/year=2024/month=02/part-"))
            let path = archive.appendingPathComponent(data).path
            #expect(try SluiceProcess.runTool("zstd", ["-t", path], in: lake.directory).status == 0)
            let text = try SluiceProcess.runTool("zstd", ["-dc", path], in: lake.directory).output
            #expect(text.contains("S0,2024-02-02,10.0000,202"))
            #expect(try await lake.loader.verify(table: Quotes.table).isValid)
        }
    }
}
