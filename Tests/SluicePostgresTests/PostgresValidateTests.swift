import Foundation
import Sluice
import SluicePostgres
import SluiceTesting
import Testing

/// `validate` refuses what the load would refuse, before any input is read: unknown index columns and
/// impossible partitionings.
@Suite("PostgreSQL validate")
struct PostgresValidateTests {
    @Test func badIndexesAndPartitioningsFailValidation() async throws {
        let database = try ScratchDatabase(prefix: "validate")
        try await database.withLoader { loader in
            var request = LoadRequest(table: "prices", strategy: .upsert, keyColumns: ["symbol", "date"])
            try await loader.validate(schema: DailyPriceRows.schema, request: request)
            request.indexes = [["volume", "colour"]]
            let index = await #expect(throws: SluiceError.self) {
                try await loader.validate(schema: DailyPriceRows.schema, request: request)
            }
            #expect(index?.message.contains("colour") == true)
            request.indexes = []
            request.partitioning = try Partitioning(parsing: "close:month")
            let partition = await #expect(throws: SluiceError.self) {
                try await loader.validate(schema: DailyPriceRows.schema, request: request)
            }
            #expect(partition?.message.contains("close") == true)
        }
        #expect(try database.psql("SELECT count(*) FROM pg_tables WHERE tablename = 'prices'") == "0")
    }
}
