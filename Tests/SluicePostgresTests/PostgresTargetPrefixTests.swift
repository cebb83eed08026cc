import Foundation
import PostgresNIO
import Sluice
import SluiceTesting
import Testing

@testable import SluicePostgres

/// Every failure on the target's side names the target (`postgres://user@host:port/db: …`), whichever path it took:
/// also the server's own error during a COPY, such as a terminated backend's `57P01`, which the COPY path turns into
/// a ``Sluice/SluiceError`` of its own.
@Suite("PostgreSQL errors name the target")
struct PostgresTargetPrefixTests {
    @Test func aSluiceErrorFromTheClientWithoutTheTargetGetsIt() {
        let target = "postgres://loader@127.0.0.1:5432/market"
        let closed = SluiceError(
            .transient,
            "terminating connection due to administrator command (SQLSTATE 57P01)",
            underlying: PostgresError.connectionClosed
        )
        let named = PostgresFailure.mapped(closed, target: target) as? SluiceError
        #expect(named?.message == target + ": terminating connection due to administrator command (SQLSTATE 57P01)")
        #expect(named?.code == .transient)
        // Named already, or not the client's (the input's own errors): unchanged.
        #expect((PostgresFailure.mapped(named!, target: target) as? SluiceError)?.message == named?.message)
        let input = SluiceError(.malformedInput, "file.csv:3:1: unterminated quoted field")
        #expect((PostgresFailure.mapped(input, target: target) as? SluiceError)?.message == input.message)
    }

    @Test("a backend terminated during the COPY fails the load naming the target, in one line")
    func terminatedBackendNamesTheTarget() async throws {
        let server = try PostgresServer.shared
        for attempt in 0..<3 {
            let database = try server.createDatabase(prefix: "prefix_terminated")
            let application = applicationName("prefix\(attempt)")
            let url = server.url(database: database, application: application)
            let target = try TargetURL(url).redacted.split(separator: "?")[0]
            try await withChunkedLoader(url) { loader in
                _ = try await loader.load(Ticks.stream(ids: 0..<1000), request: Ticks.request(.upsert))
                let gate = Gate(holdAfter: 6)
                let error = try await PostgresFaultRecoveryTests.failedLoad(
                    loader,
                    PostgresFaultRecoveryTests.faultStream(.append, gate: gate),
                    request: Ticks.request(.append),
                    gate: gate
                ) {
                    try await waitUntil("the COPY has rows", timeout: .seconds(60)) {
                        try server.copiedRows(database: database, application: application) > 0
                    }
                    _ = try await blocking {
                        try server.psql(
                            """
                            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                            WHERE application_name = '\(application)' AND query LIKE 'COPY%'
                            """,
                            database: database
                        )
                    }
                }
                PostgresFaultRecoveryTests.expectOneLine(error)
                #expect(error.message.hasPrefix(target), "\(error.message)")
                #expect(error.isTransient, "\(error.message)")
            }
        }
    }
}
