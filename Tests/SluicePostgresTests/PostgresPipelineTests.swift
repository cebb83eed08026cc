import Foundation
import Sluice
import SluicePostgres
import SluiceTesting
import Testing

/// The input pipeline with and without a preparing task ahead of the encoder (`read_ahead`): the same rows,
/// counts and checksum either way, and a failure while preparing fails the load and writes nothing.
@Suite("PostgreSQL input pipeline")
struct PostgresPipelineTests {
    @Test(arguments: [0, 1, 4])
    func everyReadAheadLoadsTheSame(readAhead: Int) async throws {
        let database = try ScratchDatabase(prefix: "pipeline")
        let rows = DailyPriceRows.rows(symbols: ["AAPL", "MSFT", "IBM"], start: "2023-01-01", days: 400)
        let batches = stride(from: 0, to: rows.count, by: 97).map { start in
            Array(rows[start..<min(start + 97, rows.count)])
        }
        let stream = RecordStream(
            schema: DailyPriceRows.schema,
            source: "prices.csv",
            batches: try batches.map { try RecordBatch(schema: DailyPriceRows.schema, rows: $0, source: "prices.csv") }
        )
        let url = database.url + "&read_ahead=\(readAhead)&chunk_bytes=4096"
        let result = try await Sluice.withLoader(url, factories: [PostgresLoader.factory]) { loader in
            let request = LoadRequest(table: "prices", strategy: .upsert, keyColumns: ["symbol", "date"])
            let result = try await loader.load(stream, request: request)
            #expect(try await loader.verify(table: "prices").isValid)
            return result
        }
        #expect(result.metrics.recordsProcessed == 1_200)
        #expect(result.metrics.recordsInserted == 1_200)
        // The same rows in one batch through the default pipeline give the same checksum.
        let reference = try ScratchDatabase(prefix: "pipeline_ref")
        let expected = try await reference.withLoader { loader in
            try await loader.load(
                try DailyPriceRows.stream(rows),
                request: LoadRequest(table: "prices", strategy: .upsert, keyColumns: ["symbol", "date"])
            ).checksum
        }
        #expect(result.checksum == expected)
    }

    @Test(arguments: [0, 4])
    func aRejectPastTheThresholdFailsTheLoadAndWritesNothing(readAhead: Int) async throws {
        let database = try ScratchDatabase(prefix: "pipeline_reject")
        var rows = DailyPriceRows.rows(symbols: ["AAPL"], start: "2023-01-01", days: 50)
        rows[30][2] = .decimal(ExactDecimal("-1")!)
        let url = database.url + "&read_ahead=\(readAhead)"
        let error = await #expect(throws: SluiceError.self) {
            try await Sluice.withLoader(url, factories: [PostgresLoader.factory]) { loader in
                var request = LoadRequest(table: "prices", strategy: .upsert, keyColumns: ["symbol", "date"])
                request.validation = ValidationPolicy(
                    validators: [Validators.positivePrice(["close"])],
                    maximumErrors: 0
                )
                return try await loader.load(try DailyPriceRows.stream(rows), request: request)
            }
        }
        #expect(error?.message.contains("close") == true, "\(error?.message ?? "")")
        #expect(try database.psql("SELECT count(*) FROM pg_tables WHERE tablename = 'prices'") == "0")
    }
}
