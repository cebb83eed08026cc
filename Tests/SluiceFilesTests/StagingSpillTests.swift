import Foundation
import Sluice
import SluiceFiles
import SluiceFormats
import SluiceTesting
import Testing

/// A keyed load into a partitioned table whose input passes `maximumStagedBytes` spills it to files and merges
/// one partition at a time: the same counts, rows and checksums as in memory, and no spill left behind.
@Suite("File target keyed loads that spill")
struct StagingSpillTests {
    static let spilling = FileOutputOptions(format: .csv, compression: .zstd, maximumStagedBytes: 1)

    /// `rows` as a stream of batches of three rows (lines numbered through), so that the input spills after the
    /// first batch and the rest is staged from the spill.
    static func stream(_ rows: [[Value]]) throws -> RecordStream {
        var batches: [RecordBatch] = []
        for start in stride(from: 0, to: rows.count, by: 3) {
            var batch = try RecordBatch(
                schema: Quotes.schema,
                rows: Array(rows[start..<min(start + 3, rows.count)]),
                source: "quotes.csv"
            )
            batch.lines = batch.lines.map { $0 + start }
            batches.append(batch)
        }
        return RecordStream(schema: Quotes.schema, source: "quotes.csv", batches: batches)
    }

    /// Upserts `second` over `first` into a month-partitioned table; returns the second result and the contents.
    func upsert(
        _ first: [[Value]],
        _ second: [[Value]],
        strategy: LoadingStrategy = .upsert,
        output: FileOutputOptions
    ) async throws -> (Counts, String, [[String?]]) {
        try await Lake.with(output: output) { lake in
            try await lake.load(first, .upsert) { $0.partitioning = Partitioning(column: "date", granularity: .month) }
            let result = try await lake.loader.load(
                Self.stream(second),
                request: LoadRequest(table: Quotes.table, strategy: strategy, keyColumns: Quotes.key)
            )
            #expect(try await lake.loader.verify(table: Quotes.table).isValid)
            let staging = try FileManager.default.contentsOfDirectory(
                atPath: lake.folder().appendingPathComponent("_sluice").path
            ).filter { $0.hasPrefix("staging-") }
            #expect(staging.isEmpty)
            return (Counts(result), result.checksum, try await lake.contents())
        }
    }

    @Test(
        "upsert and replace give the same result spilled as in memory",
        arguments: [LoadingStrategy.upsert, .replace]
    )
    func sameAsInMemory(strategy: LoadingStrategy) async throws {
        let first = Quotes.rows(months: 1...4, symbols: 5)
        var second = Quotes.rows(months: 3...6, symbols: 5, close: "11.0000")
        second += [Quotes.row("S1", "2024-03-02", "12.0000", 302), Quotes.row("S2", "2024-05-15", "10.0000", 515)]
        let inMemory = try await upsert(first, second, strategy: strategy, output: FileOutputOptions())
        let spilled = try await upsert(first, second, strategy: strategy, output: Self.spilling)
        #expect(spilled.0 == inMemory.0)
        #expect(spilled.1 == inMemory.1)
        #expect(spilled.2 == inMemory.2)
        #expect(inMemory.0.skipped == 2)
    }

    @Test("insert-only names both lines of a repeated key read back from the spill, and changes nothing")
    func duplicateAcrossTheSpill() async throws {
        try await Lake.with(output: Self.spilling) { lake in
            let first = try await lake.load(Quotes.rows(months: 1...1), .upsert) {
                $0.partitioning = Partitioning(column: "date", granularity: .month)
            }
            let rows = Quotes.rows(months: 2...3) + [Quotes.row("S0", "2024-02-02", "1.0000")]
            let error = await #expect(throws: SluiceError.self) {
                try await lake.loader.load(
                    Self.stream(rows),
                    request: LoadRequest(table: Quotes.table, strategy: .insertOnly, keyColumns: Quotes.key)
                )
            }
            #expect(error?.code == .invalidKey)
            #expect(
                error?.message
                    == "quotes.csv:\(rows.count): duplicate key (symbol=S0, date=2024-02-02) in the input, first at line 1"
            )
            #expect(try await lake.loader.verify(table: Quotes.table).actualChecksum == first.checksum)
            let sluice = try FileManager.default.contentsOfDirectory(
                atPath: lake.folder().appendingPathComponent("_sluice").path
            )
            #expect(!sluice.contains { $0.hasPrefix("staging-") })
        }
    }
}

/// What a load counted, for one `#expect`.
struct Counts: Equatable {
    var processed: Int
    var inserted: Int
    var updated: Int
    var deleted: Int
    var skipped: Int

    init(_ result: LoadResult) {
        processed = result.metrics.recordsProcessed
        inserted = result.metrics.recordsInserted
        updated = result.metrics.recordsUpdated
        deleted = result.metrics.recordsDeleted
        skipped = result.metrics.recordsSkipped
    }
}
