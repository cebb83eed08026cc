import Foundation
import Sluice
import SluiceFiles
import SluiceFormats
import SluiceTesting
import Testing

/// DESIGN §6 and the layout: partition folders, part names, manifests written last, only touched
/// partitions rewritten, leftovers removed, damage found by verify.
@Suite("File target layout and manifests")
struct FileTargetLayoutTests {
    @Test("a partitioned load writes Hive-style folders and a manifest whose figures match the files")
    func partitionedLayout() async throws {
        try await Lake.with { lake in
            let result = try await lake.load(Quotes.rows(months: 1...3), .upsert) {
                $0.partitioning = Partitioning(column: "date", granularity: .month)
            }
            let version = try #require(result.version)
            #expect(
                lake.dataFiles() == (0..<3).map { "year=2024/month=0\($0 + 1)/part-\(version.id)-\($0).csv.zst" }
            )
            let manifest = try lake.latestManifest()
            #expect(manifest.version.id == version.id)
            #expect(manifest.partitioning == Partitioning(column: "date", granularity: .month))
            #expect(manifest.files.map(\.records) == [6, 6, 6])
            #expect(
                manifest.files.map(\.partition) == ["year=2024/month=01", "year=2024/month=02", "year=2024/month=03"]
            )
            for file in manifest.files {
                let path = lake.folder().appendingPathComponent(file.path).path
                let sum = try SluiceProcess.runTool("sha256sum", [path], in: lake.directory)
                #expect(sum.output.hasPrefix(file.sha256 + " "))
                let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
                #expect(Int64(size ?? -1) == file.bytes)
                #expect(try SluiceProcess.runTool("zstd", ["-t", path], in: lake.directory).status == 0)
            }
            #expect(manifest.filesChecksum.hex == version.checksum)
            #expect(try await lake.contents() == texts(Quotes.rows(months: 1...3)))
        }
    }

    @Test("a keyed load rewrites only the partitions it changes and keeps the others' files")
    func rewritesOnlyTouchedPartitions() async throws {
        try await Lake.with { lake in
            let first = try await lake.load(Quotes.rows(months: 1...3), .upsert) {
                $0.partitioning = Partitioning(column: "date", granularity: .month)
            }
            let before = try lake.latestManifest().files
            // One changed row in February, one new row in April, and an unchanged January row.
            let result = try await lake.load(
                [
                    Quotes.row("S0", "2024-02-02", "11.0000", 202), Quotes.row("S9", "2024-04-02", "1.0000"),
                    Quotes.row("S0", "2024-01-02", "10.0000", 102),
                ],
                .upsert
            )
            #expect(result.metrics.recordsInserted == 1)
            #expect(result.metrics.recordsUpdated == 1)
            #expect(result.metrics.recordsSkipped == 1)
            let after = try lake.latestManifest().files
            let kept = after.filter { $0.writtenBy == first.version?.id }
            #expect(kept.map(\.partition) == ["year=2024/month=01", "year=2024/month=03"])
            #expect(Set(kept) == Set(before.filter { $0.partition != "year=2024/month=02" }))
            let rewritten = after.filter { $0.writtenBy == result.version?.id }
            #expect(rewritten.map(\.partition) == ["year=2024/month=02", "year=2024/month=04"])
            // The replaced February file is still on disk for the older version; the new one has all six rows.
            #expect(rewritten.map(\.records) == [6, 1])
            #expect(lake.dataFiles().count == 5)
        }
    }

    @Test("a rerun writes no new bytes: no files, no version")
    func rerunWritesNothing() async throws {
        try await Lake.with { lake in
            let rows = Quotes.rows(months: 1...2)
            try await lake.load(rows, .upsert) { $0.partitioning = Partitioning(column: "date", granularity: .month) }
            let files = lake.dataFiles()
            let rerun = try await lake.load(rows, .upsert)
            #expect(rerun.version == nil)
            #expect(rerun.metrics.recordsSkipped == rows.count)
            #expect(lake.dataFiles() == files)
            #expect(try await lake.loader.versions(table: Quotes.table).count == 1)
        }
    }

    @Test("files of a load that never published its manifest are removed by the next load and by optimize")
    func leftoversAreRemoved() async throws {
        try await Lake.with { lake in
            try await lake.load(Quotes.rows(months: 1...1), .upsert)
            let stray = lake.folder().appendingPathComponent("part-01900000-0000-7000-8000-000000000000-0.csv.zst")
            let temporary = lake.folder().appendingPathComponent("part-x.csv.zst.tmp-1234")
            try Data("half".utf8).write(to: stray)
            try Data("half".utf8).write(to: temporary)
            let report = try await lake.loader.optimize(table: Quotes.table)
            #expect(report.operations == ["removed 2 leftover files in 1 table(s)"])
            #expect(!FileManager.default.fileExists(atPath: stray.path))
            try Data("half".utf8).write(to: stray)
            try await lake.load([Quotes.row("S7", "2024-01-03", "1.0000")], .upsert)
            #expect(!FileManager.default.fileExists(atPath: stray.path))
        }
    }

    @Test("verify finds a changed file and a missing file, and names each")
    func verifyFindsDamage() async throws {
        try await Lake.with(output: FileOutputOptions(format: .csv, compression: .none)) { lake in
            try await lake.load(Quotes.rows(months: 1...2), .upsert) {
                $0.partitioning = Partitioning(column: "date", granularity: .month)
            }
            let files = try lake.latestManifest().files
            let january = lake.folder().appendingPathComponent(files[0].path)
            var text = try String(contentsOf: january, encoding: .utf8)
            text = text.replacingOccurrences(of: "10.0000", with: "10.0001")
            try text.write(to: january, atomically: false, encoding: .utf8)
            var verification = try await lake.loader.verify(table: Quotes.table)
            #expect(!verification.isValid)
            #expect(verification.problems.count == 2)
            #expect(verification.problems.first?.hasPrefix(january.path + ": SHA-256 ") == true)
            #expect(verification.problems.last?.hasPrefix(january.path + ": the rows' checksum ") == true)
            #expect(verification.actualChecksum != verification.expectedChecksum)
            try FileManager.default.removeItem(at: lake.folder().appendingPathComponent(files[1].path))
            verification = try await lake.loader.verify(table: Quotes.table)
            #expect(verification.problems.count == 3)
            #expect(
                verification.problems.last == lake.folder().appendingPathComponent(files[1].path).path + ": missing"
            )
        }
    }

    @Test("a new column reads as NULL from the older files, and checksums cover it")
    func addedColumn() async throws {
        try await Lake.with { lake in
            try await lake.load(Quotes.rows(months: 1...1, symbols: 1), .upsert)
            var wider = Quotes.schema
            wider.columns.append(Column("currency", .string))
            let result = try await lake.load(
                [Quotes.row("S5", "2024-05-02", "5.0000") + [.string("EUR")]],
                .upsert,
                schema: wider
            )
            #expect(result.version?.schema.columnNames == ["symbol", "date", "close", "volume", "currency"])
            let contents = try await lake.contents()
            #expect(contents.count == 3)
            #expect(contents.filter { $0[4] == nil }.count == 2)
            #expect(contents.contains { $0[4] == "EUR" })
        }
    }

    @Test("a load that asks for other partitions, or for an index, fails before writing")
    func refusals() async throws {
        try await Lake.with { lake in
            try await lake.load(Quotes.rows(months: 1...1), .upsert) {
                $0.partitioning = Partitioning(column: "date", granularity: .month)
            }
            let files = lake.dataFiles()
            let partitions = await #expect(throws: SluiceError.self) {
                try await lake.load(Quotes.rows(months: 2...2), .upsert) {
                    $0.partitioning = Partitioning(column: "date", granularity: .day)
                }
            }
            #expect(
                partitions?.message == "table 'quotes' is partitioned by date:month; the load asks for "
                    + "--partition-by date:day (a table keeps the partitioning it was created with)"
            )
            let index = await #expect(throws: SluiceError.self) {
                try await lake.load(Quotes.rows(months: 2...2), .upsert) { $0.indexes = [["date"]] }
            }
            #expect(index?.code == .invalidRequest)
            #expect(lake.dataFiles() == files)
        }
    }

    @Test(
        "a table name can never leave the target directory",
        arguments: ["../escape", "a/b", "/etc", "..", ".hidden", "nul\0"]
    )
    func tableNamesAreConfined(name: String) async throws {
        try await Lake.with { lake in
            let error = await #expect(throws: SluiceError.self) {
                try await lake.loader.load(
                    try RecordStream(schema: Quotes.schema, source: "q", rows: Quotes.rows(months: 1...1)),
                    request: LoadRequest(table: name, strategy: .append)
                )
            }
            #expect(error?.code == .invalidRequest)
            #expect(error?.message.hasPrefix("table name '") == true)
            let parent = lake.directory.deletingLastPathComponent()
            #expect(!FileManager.default.fileExists(atPath: parent.appendingPathComponent("escape").path))
            let entries = try FileManager.default.contentsOfDirectory(atPath: lake.directory.path)
            #expect(entries.isEmpty)
        }
    }

    @Test("two loads of one table at once queue: both land, the second on top of the first")
    func concurrentLoadsQueue() async throws {
        try await Lake.with { lake in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for month in 1...2 {
                    group.addTask {
                        _ = try await lake.loader.load(
                            try RecordStream(
                                schema: Quotes.schema,
                                source: "q",
                                rows: Quotes.rows(months: month...month)
                            ),
                            request: LoadRequest(table: Quotes.table, strategy: .upsert, keyColumns: Quotes.key)
                        )
                    }
                }
                try await group.waitForAll()
            }
            let versions = try await lake.loader.versions(table: Quotes.table)
            #expect(versions.count == 2)
            #expect(versions[1].parentID == versions[0].id)
            #expect(try await lake.contents() == texts(Quotes.rows(months: 1...2)))
            #expect(try await lake.loader.verify(table: Quotes.table).isValid)
        }
    }
}
