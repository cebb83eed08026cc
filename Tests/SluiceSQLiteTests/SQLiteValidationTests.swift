import Foundation
import Sluice
import SluiceSQLite
import Testing

/// Rejects, thresholds and key errors, through the SQLite target.
@Suite("SQLite validation")
struct SQLiteValidationTests {
    @Test("rejects go to the reject file and are counted; the rest loads")
    func rejectFile() async throws {
        try await SQLiteTestDatabase.withLoader { (loader, database) async throws in
            let rejectPath = database.directory.appendingPathComponent("rejects.jsonl").path
            var request = Fixtures.request(.upsert)
            request.validation = ValidationPolicy(
                validators: [Validators.positivePrice(["close"])],
                maximumErrors: 2,
                rejectFile: rejectPath
            )
            let result = try await loader.load(
                try Fixtures.stream([
                    Fixtures.row("AAPL", "2024-01-02", "1.0000"), Fixtures.row("BAD", "2024-01-02", "-1.0000"),
                    Fixtures.row("MSFT", "2024-01-02", "2.0000"),
                ]),
                request: request
            )
            #expect(result.metrics.recordsInserted == 2)
            #expect(result.metrics.recordsFailed == 1)
            #expect(result.metrics.validationErrors == 1)
            #expect(result.metrics.recordsProcessed == 3)
            let lines = try String(contentsOfFile: rejectPath, encoding: .utf8).split(separator: "\n")
            #expect(
                lines == [
                    #"{"source":"prices.csv","line":2,"column":"close","rule":"positive-price","reason":"-1.0000 is not positive"}"#
                ]
            )
            #expect(try await loader.verify(table: "prices").isValid)
        }
    }

    @Test("rejects past --max-errors fail the whole load")
    func threshold() async throws {
        try await SQLiteTestDatabase.withLoader { (loader, _) async throws in
            var request = Fixtures.request(.upsert)
            request.validation = ValidationPolicy(validators: [Validators.positivePrice(["close"])], maximumErrors: 1)
            let error = await #expect(throws: SluiceError.self) {
                try await loader.load(
                    try Fixtures.stream([
                        Fixtures.row("A", "2024-01-02", "-1.0000"), Fixtures.row("B", "2024-01-02", "1.0000"),
                        Fixtures.row("C", "2024-01-02", "-2.0000"),
                    ]),
                    request: request
                )
            }
            #expect(error?.code == .tooManyRejects)
            #expect(
                error?.message
                    == "prices.csv:1: column 'close': -1.0000 is not positive (more than --max-errors 1 rejected)"
            )
            #expect(try await loader.schema(of: "prices") == nil)
        }
    }

    @Test("an empty key value is a reject")
    func emptyKey() async throws {
        try await SQLiteTestDatabase.withLoader { (loader, _) async throws in
            let error = await #expect(throws: SluiceError.self) {
                try await loader.load(
                    try Fixtures.stream([Fixtures.row("", "2024-01-02", "1.0000")]),
                    request: Fixtures.request(.upsert)
                )
            }
            #expect(error?.code == .tooManyRejects)
            #expect(error?.message == "prices.csv:1: column 'symbol': key column 'symbol' is empty")
        }
    }

    @Test("a duplicate key under insert-only names both lines")
    func duplicateKey() async throws {
        try await SQLiteTestDatabase.withLoader { (loader, _) async throws in
            let rows = [
                Fixtures.row("MSFT", "2024-01-02", "1.0000"), Fixtures.row("AAPL", "2024-01-02", "1.0000"),
                Fixtures.row("AAPL", "2024-01-03", "1.0000"), Fixtures.row("AAPL", "2024-01-02", "2.0000"),
            ]
            let error = await #expect(throws: SluiceError.self) {
                try await loader.load(try Fixtures.stream(rows), request: Fixtures.request(.insertOnly))
            }
            #expect(error?.code == .invalidKey)
            #expect(
                error?.message
                    == "prices.csv:4: duplicate key (symbol=AAPL, date=2024-01-02) in the input, first at line 2"
            )
            #expect(try await loader.schema(of: "prices") == nil)
        }
    }

    @Test("append into a keyed table names the existing key")
    func appendConflict() async throws {
        try await SQLiteTestDatabase.withLoader { (loader, _) async throws in
            _ = try await loader.load(
                try Fixtures.stream([Fixtures.row("AAPL", "2024-01-02", "1.0000")]),
                request: Fixtures.request(.append)
            )
            let error = await #expect(throws: SluiceError.self) {
                try await loader.load(
                    try Fixtures.stream([Fixtures.row("AAPL", "2024-01-02", "2.0000")]),
                    request: Fixtures.request(.append)
                )
            }
            #expect(error?.code == .keyConflict)
            #expect(try await loader.verify(table: "prices").isValid)
        }
    }
}
