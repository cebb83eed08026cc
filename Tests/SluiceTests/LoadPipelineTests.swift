import Foundation
import Testing

@testable import Sluice

@Suite("Validation, rejects, retries and URLs")
struct LoadPipelineTests {
    static let schema = Schema(
        columns: [
            Column("symbol", .string), Column("date", .date), Column("open", .decimal(precision: 18, scale: 4)),
            Column("high", .decimal(precision: 18, scale: 4)), Column("low", .decimal(precision: 18, scale: 4)),
            Column("close", .decimal(precision: 18, scale: 4)),
        ],
        keyColumns: ["symbol", "date"]
    )

    static func row(_ symbol: String, _ o: String, _ h: String, _ l: String, _ c: String) -> [Value] {
        [
            symbol.isEmpty ? .null : .string(symbol), .date(CivilDate("2024-01-02")!), .decimal(ExactDecimal(o)!),
            .decimal(ExactDecimal(h)!), .decimal(ExactDecimal(l)!), .decimal(ExactDecimal(c)!),
        ]
    }

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("sluice-\(UUID().uuidString)-\(name)").path
    }

    @Test func rejectsPastTheThresholdFailTheLoadWithTheFirstRejectsLine() throws {
        let rejects = Self.temporaryPath("rejects.jsonl")
        defer { try? FileManager.default.removeItem(atPath: rejects) }
        let policy = ValidationPolicy(validators: [Validators.ohlcConsistency()], maximumErrors: 1, rejectFile: rejects)
        var preparer = BatchPreparer(schema: Self.schema, request: LoadRequest(table: "t", validation: policy))
        let batch = try RecordBatch(
            schema: Self.schema,
            rows: [
                Self.row("AAPL", "10", "12", "9", "11"),
                Self.row("MSFT", "10", "12", "9", "13"),
                Self.row("IBM", "10", "12", "9", "11"),
            ],
            source: "p.csv"
        )
        let prepared = try preparer.prepare(batch)
        #expect(prepared.batch.count == 2)
        #expect(prepared.digests.count == 2)
        #expect(preparer.metrics.recordsProcessed == 3)
        #expect(preparer.metrics.recordsFailed == 1)
        let error = #expect(throws: SluiceError.self) {
            try preparer.prepare(
                try RecordBatch(
                    schema: Self.schema,
                    rows: [Self.row("X", "1", "1", "2", "1")],
                    source: "p.csv"
                )
            )
        }
        #expect(error?.code == .tooManyRejects)
        #expect(
            error?.message
                == "p.csv:2: column 'close': close 13.0000 is outside [9.0000, 12.0000] (more than --max-errors 1 rejected)"
        )
        preparer.finish()
        let lines = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        #expect(
            lines[0]
                == #"{"source":"p.csv","line":2,"column":"close","rule":"ohlc","reason":"close 13.0000 is outside [9.0000, 12.0000]"}"#
        )
    }

    @Test func emptyKeysAreRejected() throws {
        var preparer = BatchPreparer(schema: Self.schema, request: LoadRequest(table: "t"))
        let batch = try RecordBatch(schema: Self.schema, rows: [Self.row("", "1", "1", "1", "1")], source: "p.csv")
        let error = #expect(throws: SluiceError.self) { try preparer.prepare(batch) }
        #expect(error?.message == "p.csv:1: column 'symbol': key column 'symbol' is empty")
    }

    @Test func builtInValidators() throws {
        let batch = try RecordBatch(schema: Self.schema, rows: [Self.row("AAPL", "-1", "12", "9", "11")])
        let view = RowView(batch: batch, row: 0)
        #expect(Validators.positivePrice().check(view)?.reason == "-1.0000 is not positive")
        #expect(Validators.notNull(["symbol"]).check(view) == nil)
        #expect(Validators.range("close", maximum: 10).check(view)?.column == "close")
        #expect(
            Validators.dateWindow("date", from: CivilDate("2024-02-01")).check(view)?.reason
                == "2024-01-02 is before 2024-02-01"
        )
        #expect(try Validators.pattern("symbol", "[A-Z]{1,5}").check(view) == nil)
        #expect(try Validators.pattern("symbol", "[a-z]+").check(view) != nil)
        let custom = ClosureValidator("custom") { row in
            row["symbol"] == .string("AAPL") ? ValidationFailure(reason: "no apples") : nil
        }
        #expect(custom.check(view)?.reason == "no apples")
    }

    @Test func retriesTransientErrorsOnlyWithGrowingDelays() async throws {
        let policy = RetryPolicy(maximumAttempts: 4, initialDelay: 0.001, maximumDelay: 0.004, jitter: 0)
        #expect([1, 2, 3, 4].map { policy.baseDelay(forRetry: $0) } == [0.001, 0.002, 0.004, 0.004])
        var attempts = 0
        let value = try await policy.run {
            attempts += 1
            if attempts < 3 { throw SluiceError(.transient, "busy") }
            return 42
        }
        #expect(value == 42 && attempts == 3)
        attempts = 0
        await #expect(throws: SluiceError.self) {
            try await policy.run {
                attempts += 1
                throw SluiceError(.targetFailure, "disk full")
            }
        }
        #expect(attempts == 1)
    }

    @Test func jitterStaysWithinItsSpread() {
        let policy = RetryPolicy(initialDelay: 1, jitter: 0.2)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let delay = policy.delay(forRetry: 1, using: &generator)
            #expect(delay >= 0.8 && delay <= 1.2)
        }
    }

    @Test func targetURLsRedactPasswords() throws {
        #expect(
            try TargetURL("postgres://alice:s3cret@db:5432/prices").redacted == "postgres://alice:***@db:5432/prices"
        )
        #expect(
            try TargetURL("postgres://alice:p@ss/w0rd@db:5432/prices").redacted == "postgres://alice:***@db:5432/prices"
        )
        #expect(try TargetURL("redis://:s3cret@cache:6379/0?tls=1").redacted == "redis://:***@cache:6379/0?tls=1")
        #expect(try TargetURL("sqlite:prices.sqlite").rest == "prices.sqlite")
        #expect(try TargetURL("prices.db").scheme == "sqlite")
        #expect(throws: SluiceError.self) { try TargetURL("nonsense") }
    }

    @Test func versionIdsSortByCreation() {
        let ids = (0..<200).map { _ in UUIDv7.make() }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        #expect(ids[0].count == 36)
        #expect(Array(ids[0])[14] == "7")
    }

    @Test func metricsDeriveRatesAndScores() {
        var metrics = LoadingMetrics()
        #expect(metrics.successRate == 1 && metrics.dataQualityScore == 1)
        metrics.recordsProcessed = 10
        metrics.recordsFailed = 2
        metrics.validationErrors = 2
        metrics.durationSeconds = 2
        #expect(metrics.successRate == 0.8)
        #expect(metrics.dataQualityScore == 0.8)
        #expect(metrics.throughput == 5)
    }
}
