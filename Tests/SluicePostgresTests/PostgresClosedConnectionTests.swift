import Foundation
import Logging
import PostgresNIO
import Sluice
import SluiceTesting
import Synchronization
import Testing

@testable import SluicePostgres

/// A statement on a connection whose server died fails at once. postgres-nio 1.33.2 loses a query written after the
/// connection closed, and its caller waited for ever: how `sluice load` hung when the server was killed between two
/// statements (docs/FaultSuite.md, bug 4).
@Suite("PostgreSQL statements on a closed connection", .serialized)
struct PostgresClosedConnectionTests {
    enum Statement: String, CaseIterable, Sendable {
        case rows, reduceRows, execute
    }

    @Test("a statement on a connection the server closed fails as a transient error", arguments: Statement.allCases)
    func statementAfterTheServerDied(_ statement: Statement) async throws {
        try await withPostgresServer { server in
            let logger = Logger(label: "test")
            let connection = try await PostgresConnection.connect(
                configuration: .init(
                    host: "127.0.0.1",
                    port: server.port,
                    username: "postgres",
                    password: nil,
                    database: "postgres",
                    tls: .disable
                ),
                id: 1,
                logger: logger
            )
            #expect(try await connection.integer("SELECT 41 + 1", logger: logger) == 42)
            try server.crash()
            // A precondition, not a measured result: the client sees the socket close within moments.
            let deadline = ContinuousClock.now + .seconds(20)
            while !connection.isClosed && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            try #require(connection.isClosed)

            // Run apart and waited for with a bound: the defect was a wait that never ends, which no cancellation
            // or time limit can stop.
            let outcome = Mutex<Result<Void, any Error>?>(nil)
            Task {
                do {
                    switch statement {
                    case .rows: _ = try await connection.rows("SELECT 1", logger: logger)
                    case .reduceRows:
                        _ = try await connection.reduceRows("SELECT 1", into: 0, logger: logger) { n, _ in n += 1 }
                    case .execute: try await connection.execute("ROLLBACK", logger: logger)
                    }
                    outcome.withLock { $0 = .success(()) }
                } catch {
                    outcome.withLock { $0 = .failure(error) }
                }
            }
            let bound = ContinuousClock.now + .seconds(20)
            while outcome.withLock({ $0 }) == nil && ContinuousClock.now < bound {
                try await Task.sleep(for: .milliseconds(10))
            }
            switch outcome.withLock({ $0 }) {
            case nil:
                Issue.record("the \(statement) statement never ended")
            case .success:
                Issue.record("the \(statement) statement succeeded on a closed connection")
            case .failure(let error):
                #expect(error is PostgresError, "\(String(reflecting: error))")
                let mapped = PostgresFailure.mapped(error, target: "postgres://x") as? SluiceError
                #expect(mapped?.isTransient == true)
                #expect(mapped?.message.contains("the server closed the connection") == true)
            }
            try server.start()
        }
    }
}
