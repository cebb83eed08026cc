// Reproduction of docs/FaultSuite.md bug 4 (postgres-nio 1.33.2 row stream vs. a server SIGKILLed mid-stream).
// Copy into Tests/SluicePostgresTests/ to run: swift test --filter RowStreamCrashExperiment. "stream-fast" stops the
// process with RowStreamStateMachine.swift:94 (Fatal error … waitingForDemand); "future-fast" (the EventLoopFuture
// API, which collects every row without backpressure) throws "connection closed" cleanly (4 runs of 4). Not in the suite.
import Foundation
import Logging
import PostgresNIO
import SluiceTesting
import Testing

@Suite("EXPERIMENT row stream after a crash", .serialized)
struct RowStreamCrashExperiment {
    @Test(arguments: ["stream-fast", "future-fast"])
    func rowsAfterCrash(mode: String) async throws {
        try await withPostgresServer { server in
            let config = PostgresConnection.Configuration(
                host: "127.0.0.1", port: server.port, username: "postgres", password: nil, database: "postgres",
                tls: .disable
            )
            let connection = try await PostgresConnection.connect(
                configuration: config, id: 1, logger: Logger(label: "x"))
            let fast = "SELECT g, repeat('x', 200) FROM generate_series(1, 3000000) g"
            let slow = "SELECT g, pg_sleep(0.002) FROM generate_series(1, 5000) g"
            let sleeper = Task {
                try await Task.sleep(for: .seconds(25))
                print("EXPERIMENT \(mode): HANG, no end within 25 s; closed=\(connection.isClosed)")
            }
            defer { sleeper.cancel() }
            if mode.hasPrefix("future") {
                let crasher = Task {
                    try await Task.sleep(for: .milliseconds(mode == "future-fast" ? 400 : 2000))
                    try server.crash()
                    print("EXPERIMENT \(mode) crashed")
                }
                do {
                    let result = try await connection.query(mode == "future-fast" ? "SELECT g, repeat('x', 200) FROM generate_series(1, 1500000) g" : slow).get()
                    print("EXPERIMENT \(mode): ended normally with \(result.rows.count) rows")
                } catch {
                    print("EXPERIMENT \(mode): threw \(String(describing: error).prefix(150))")
                }
                _ = try? await crasher.value
            } else {
                let rows = try await connection.query(
                    PostgresQuery(unsafeSQL: mode == "stream-fast" ? fast : slow), logger: Logger(label: "x"))
                var iterator = rows.makeAsyncIterator()
                _ = try await iterator.next()
                if mode == "stream-slow" { try await Task.sleep(for: .seconds(1)) }
                try server.crash()
                print("EXPERIMENT \(mode) crashed; closed=\(connection.isClosed)")
                var n = 0
                do {
                    while try await iterator.next() != nil { n += 1 }
                    print("EXPERIMENT \(mode): ended normally after \(n) rows")
                } catch {
                    print("EXPERIMENT \(mode): threw after \(n) rows: \(String(describing: error).prefix(150))")
                }
            }
            try? await connection.close()
        }
    }
}
