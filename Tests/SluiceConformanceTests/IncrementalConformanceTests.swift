import Sluice
import SluiceTesting
import Testing

/// Incremental loads: the cursor watermark, row-content change detection and deletion of vanished keys.
@Suite("Incremental loads")
struct IncrementalConformanceTests {
    @Test("rows at or below the cursor watermark are skipped; the watermark moves", arguments: ConformanceTarget.all)
    func cursorWatermark(target: ConformanceTarget) async throws {
        try await target.withLoader { (loader) async throws in
            let first = try await loader.load(
                [Prices.row("AAPL", "2024-01-02", "185.6400"), Prices.row("MSFT", "2024-01-02", "370.8700")],
                .incremental
            ) { $0.cursorColumn = "date" }
            #expect(Counts(first) == Counts(processed: 2, inserted: 2))
            #expect(first.version?.metadata["cursor_column"] == "date")
            #expect(first.version?.metadata["cursor_watermark"] == "2024-01-02")

            let second = try await loader.load(
                [
                    Prices.row("AAPL", "2024-01-02", "999.0000"),  // at the watermark: skipped, even though changed
                    Prices.row("AAPL", "2024-01-03", "186.0000"),
                    Prices.row("MSFT", "2024-01-03", "371.0000"),
                ],
                .incremental
            ) { $0.cursorColumn = "date" }
            #expect(Counts(second) == Counts(processed: 3, inserted: 2, skipped: 1))
            #expect(second.version?.metadata["cursor_watermark"] == "2024-01-03")
            #expect(
                try await loader.contents()
                    == texts([
                        Prices.row("AAPL", "2024-01-02", "185.6400"), Prices.row("MSFT", "2024-01-02", "370.8700"),
                        Prices.row("AAPL", "2024-01-03", "186.0000"), Prices.row("MSFT", "2024-01-03", "371.0000"),
                    ])
            )
        }
    }

    @Test("without a cursor, unchanged rows are skipped and changed ones updated", arguments: ConformanceTarget.all)
    func rowContentDetection(target: ConformanceTarget) async throws {
        try await target.withLoader { (loader) async throws in
            _ = try await loader.load(StrategyConformanceTests.base, .incremental)
            let result = try await loader.load(
                [StrategyConformanceTests.appleChanged, StrategyConformanceTests.microsoft],
                .incremental
            )
            #expect(Counts(result) == Counts(processed: 2, updated: 1, skipped: 1))
            #expect(
                try await loader.contents()
                    == texts([
                        StrategyConformanceTests.appleChanged, StrategyConformanceTests.microsoft,
                        StrategyConformanceTests.google,
                    ])
            )
        }
    }

    @Test("deleteMissing removes keys the input no longer has", arguments: ConformanceTarget.all)
    func deleteMissing(target: ConformanceTarget) async throws {
        try await target.withLoader { (loader) async throws in
            _ = try await loader.load(StrategyConformanceTests.base, .incremental)
            let result = try await loader.load(
                [StrategyConformanceTests.appleChanged, StrategyConformanceTests.microsoft],
                .incremental
            ) { $0.deleteMissing = true }
            #expect(Counts(result) == Counts(processed: 2, updated: 1, deleted: 1, skipped: 1))
            #expect(
                try await loader.contents()
                    == texts([StrategyConformanceTests.appleChanged, StrategyConformanceTests.microsoft])
            )
            #expect(result.version?.recordCount == 2)
        }
    }

    @Test("a cursor column missing from the input is refused", arguments: ConformanceTarget.all)
    func missingCursor(target: ConformanceTarget) async throws {
        try await target.withLoader { (loader) async throws in
            let error = await #expect(throws: SluiceError.self) {
                try await loader.load(StrategyConformanceTests.base, .incremental) { $0.cursorColumn = "updated_at" }
            }
            #expect(error?.code == .invalidRequest)
        }
    }
}
