// Reproduction of docs/FaultSuite.md bug 4 (postgres-nio 1.33.2: a query on a connection the server closed never
// ends). Copy into Tests/SluicePostgresTests/ to run: swift test --filter QueryOnClosedConnectionExperiment.
// Both modes print "HANG" and exit 3: `PostgresConnection.query` writes its task with `channel.write(…, promise: nil)`,
// and once the channel has closed and removed its handlers the write fails unseen, so the query's promise is never
// completed. Sluice works round it in Sources/SluicePostgres/PostgresConnection+Sluice.swift (`whileOpen`);
// Tests/SluicePostgresTests/PostgresClosedConnectionTests.swift is the regression test. Not in the suite.
import Foundation
import Logging
import NIOCore
import PostgresNIO
import SluiceTesting
import Testing

@Suite("EXPERIMENT query on a closed connection", .serialized)
struct QueryOnClosedConnectionExperiment {
    @Test(arguments: ["async", "future"])
    func queryAfterClose(mode: String) async throws {
        try await withPostgresServer { server in
            let logger = Logger(label: "x")
            let connection = try await PostgresConnection.connect(
                configuration: .init(
                    host: "127.0.0.1", port: server.port, username: "postgres", password: nil, database: "postgres",
                    tls: .disable
                ),
                id: 1,
                logger: logger
            )
            _ = try await connection.query("SELECT 1", logger: logger).collect()
            try server.crash()  // SIGKILL of the postmaster and every backend
            for _ in 0..<200 where !connection.isClosed { try await Task.sleep(for: .milliseconds(10)) }
            FileHandle.standardError.write(Data("EXPERIMENT \(mode): closed=\(connection.isClosed)\n".utf8))
            let sleeper = Task {
                try await Task.sleep(for: .seconds(10))
                FileHandle.standardError.write(Data("EXPERIMENT \(mode): HANG\n".utf8))
                exit(3)
            }
            do {
                if mode == "async" {
                    _ = try await connection.query("SELECT 1", logger: logger).collect()
                } else {
                    let result: EventLoopFuture<PostgresQueryResult> = connection.query("SELECT 1", logger: logger)
                    _ = try await result.get()
                }
                FileHandle.standardError.write(Data("EXPERIMENT \(mode): succeeded\n".utf8))
            } catch {
                FileHandle.standardError.write(Data("EXPERIMENT \(mode): threw \(String(reflecting: error))\n".utf8))
            }
            sleeper.cancel()
            try server.start()
        }
    }
}
