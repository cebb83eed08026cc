import Logging
import PostgresNIO
import Sluice
import Testing

@testable import SluicePostgres

/// How connection faults read: one line naming the target and what happened, in a few words.
@Suite("PostgreSQL connection faults in one line")
struct PostgresFaultMappingTests {
    static let target = "postgres://etl@127.0.0.1:1/market?sslmode=disable"

    @Test func aConnectionTheServerClosedSaysSoAndMayBeRetried() throws {
        let error = try #require(
            PostgresFailure.mapped(PostgresError.connectionClosed, target: Self.target) as? SluiceError
        )
        #expect(
            error.message == Self.target + ": the server closed the connection (server stopped or backend terminated)"
        )
        #expect(error.isTransient)
    }

    @Test func aRefusedConnectionNamesTheAddressAndTheReason() async throws {
        let configuration = PostgresLoader.Configuration(
            host: "127.0.0.1",
            port: 1,
            database: "market",
            sslMode: .disable
        )
        let failure = await ConnectionProbe.failure(configuration, target: Self.target, logger: Logger(label: "test"))
        #expect(failure?.message == Self.target + ": connection failed: 127.0.0.1:1: Connection refused")
        #expect(failure?.isTransient == true)
    }
}
