import Foundation
import Sluice
import SluiceTesting
import Testing

/// Every load is atomic: a failed load leaves the table exactly as it was; checksums depend on values only.
@Suite("Atomicity and checksums")
struct AtomicityConformanceTests {
    struct InputBroke: Error {}

    @Test(
        "an input that fails half-way changes nothing",
        arguments: ConformanceTarget.all,
        [LoadingStrategy.append, .upsert, .replace, .insertOnly]
    )
    func failingInput(target: ConformanceTarget, strategy: LoadingStrategy) async throws {
        try await target.withLoader { (loader) async throws in
            let first = try await loader.load(
                StrategyConformanceTests.base,
                strategy == .append ? .append : .upsert,
                key: strategy == .append ? [] : Prices.key
            )
            let good = try RecordBatch(
                schema: Prices.schema,
                rows: [StrategyConformanceTests.nvidia],
                source: "prices.csv"
            )
            let stream = RecordStream(schema: Prices.schema, source: "prices.csv") {
                var sent = false
                return {
                    if sent { throw InputBroke() }
                    sent = true
                    return good
                }
            }
            let request = LoadRequest(
                table: Prices.table,
                strategy: strategy,
                keyColumns: strategy == .append ? [] : Prices.key
            )
            await #expect(throws: InputBroke.self) { try await loader.load(stream, request: request) }
            let verification = try await loader.verify(table: Prices.table)
            #expect(verification.isValid)
            #expect(verification.actualChecksum == first.checksum)
            #expect(try await loader.contents() == texts(StrategyConformanceTests.base))
            #expect(try await loader.versions(table: Prices.table).count == 1)
        }
    }

    @Test(
        "an input that does not sum to the expected checksum fails before it commits and changes nothing",
        arguments: ConformanceTarget.all,
        [LoadingStrategy.replace, .upsert, .append]
    )
    func unexpectedInput(target: ConformanceTarget, strategy: LoadingStrategy) async throws {
        try await target.withLoader { (loader) async throws in
            let key = strategy == .append ? [] : Prices.key
            let first = try await loader.load(
                StrategyConformanceTests.base,
                strategy == .append ? .append : .upsert,
                key: key
            )
            let rows = [StrategyConformanceTests.nvidia]
            let expected = RowDigester(schema: Prices.schema).checksum(
                of: try RecordBatch(schema: Prices.schema, rows: rows)
            )
            let error = await #expect(throws: SluiceError.self) {
                try await loader.load(rows + [Prices.row("MORE", "2024-01-02", "1.0000")], strategy, key: key) {
                    $0.expectedInput = ExpectedInput(checksum: expected.hex, origin: "source version v1 of table 'src'")
                }
            }
            #expect(
                error?.message.contains(
                    "but source version v1 of table 'src' recorded \(expected.hex): the source changed while it was "
                        + "read; nothing was loaded"
                ) == true,
                "\(String(describing: error))"
            )
            let verification = try await loader.verify(table: Prices.table)
            #expect(verification.isValid && verification.actualChecksum == first.checksum)
            #expect(try await loader.versions(table: Prices.table).count == 1)

            // The same rows that do sum to it load.
            let loaded = try await loader.load(rows, strategy, key: key) {
                $0.expectedInput = ExpectedInput(checksum: expected.hex, origin: "source version v1 of table 'src'")
            }
            #expect(loaded.version != nil)
        }
    }

    @Test("too many rejects fail the load and change nothing", arguments: ConformanceTarget.all)
    func tooManyRejects(target: ConformanceTarget) async throws {
        try await target.withLoader { (loader) async throws in
            let first = try await loader.load(StrategyConformanceTests.base, .upsert)
            let positive = Validators.positivePrice(["close"])
            let error = await #expect(throws: SluiceError.self) {
                try await loader.load(
                    [StrategyConformanceTests.nvidia, Prices.row("BAD", "2024-01-02", "-1.0000")],
                    .upsert
                ) { $0.validation = ValidationPolicy(validators: [positive], maximumErrors: 0) }
            }
            #expect(error?.code == .tooManyRejects)
            #expect(try await loader.verify(table: Prices.table).actualChecksum == first.checksum)
            #expect(try await loader.contents() == texts(StrategyConformanceTests.base))
        }
    }

    @Test("the same rows give the same checksum whatever their order and history", arguments: ConformanceTarget.all)
    func checksumIsOrderIndependent(target: ConformanceTarget) async throws {
        let rows = StrategyConformanceTests.base + [StrategyConformanceTests.nvidia]
        let inOrder = try await target.withLoader { loader in try await loader.load(rows, .upsert).checksum }
        let reversed = try await target.withLoader { (loader) async throws in
            try await loader.load(Array(rows.reversed()), .upsert).checksum
        }
        let byHistory = try await target.withLoader { (loader) async throws in
            _ = try await loader.load(
                [StrategyConformanceTests.appleChanged, StrategyConformanceTests.google],
                .upsert
            )
            _ = try await loader.load([StrategyConformanceTests.nvidia, StrategyConformanceTests.microsoft], .append)
            _ = try await loader.load([StrategyConformanceTests.apple], .upsert)
            return try await loader.verify(table: Prices.table).actualChecksum
        }
        #expect(inOrder == reversed)
        #expect(inOrder == byHistory)
    }

    @Test("a load of rows with rejects below the threshold loads the rest", arguments: ConformanceTarget.all)
    func rejectsBelowThreshold(target: ConformanceTarget) async throws {
        try await target.withLoader { (loader) async throws in
            let result = try await loader.load(
                [StrategyConformanceTests.apple, Prices.row("", "2024-01-02", "1.0000")],
                .upsert
            ) { $0.validation.maximumErrors = 5 }
            #expect(Counts(result) == Counts(processed: 2, inserted: 1, failed: 1))
            #expect(result.metrics.validationErrors == 1)
        }
    }
}
