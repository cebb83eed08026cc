import Foundation
import SluiceTesting
import Testing

/// The test harness itself: a real PostgreSQL server starts, answers `psql`, and stops, restarts and goes away
/// when told to.
@Suite("PostgreSQL test server")
struct PostgresServerTests {
    @Test func sharedServerAnswersQueries() throws {
        let server = try PostgresServer.shared
        #expect(try server.psql("SELECT 1") == "1")
        #expect(try server.psql("SELECT 1, 'a'; SELECT 2, 'b'") == "1|a\n2|b")
        #expect(try server.psql("SHOW server_encoding") == "UTF8")
    }

    @Test func databasesAreFreshAndNamedInTheirURLs() throws {
        let server = try PostgresServer.shared
        let first = try server.createDatabase(prefix: "Harness Check")
        let second = try server.createDatabase(prefix: "Harness Check")
        #expect(first != second)
        #expect(first.hasPrefix("harness_check_"))
        try server.psql("CREATE TABLE t (x int); INSERT INTO t VALUES (1), (2)", database: first)
        #expect(try server.psql("SELECT sum(x) FROM t", database: first) == "3")
        #expect(throws: PostgresServerError.self) { try server.psql("SELECT * FROM t", database: second) }
        if !server.isExternal {
            #expect(
                server.url(database: first) == "postgres://postgres@127.0.0.1:\(server.port)/\(first)?sslmode=disable"
            )
        }
    }

    @Test func aFailingStatementThrowsWithPsqlsMessage() throws {
        let error = #expect(throws: PostgresServerError.self) {
            try PostgresServer.shared.psql("SELECT * FROM no_such_table")
        }
        #expect(error?.description.contains("no_such_table") == true)
    }

    @Test func ownServerSurvivesKillAndRestartThenIsRemoved() async throws {
        let directory = try await withPostgresServer { server in
            try server.psql("CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)")
            try server.kill()
            #expect(!server.isRunning)
            #expect(throws: PostgresServerError.self) { try server.psql("SELECT 1") }
            try server.start()
            #expect(try server.psql("SELECT x FROM kept") == "42")
            try server.restart()
            #expect(try server.psql("SELECT x FROM kept") == "42")
            try server.stop()
            #expect(!server.isRunning)
            return try #require(server.dataDirectory)
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path))
    }

    @Test func passwordClusterRefusesAWrongPassword() async throws {
        try await withPostgresServer(PostgresServer.Configuration(superuserPassword: "s3cret-superuser")) { server in
            #expect(try server.psql("SELECT current_user") == "postgres")
            #expect(server.url(database: "postgres").contains(":s3cret-superuser@"))
            try server.psql("CREATE ROLE app LOGIN PASSWORD 'right-password'")
            #expect(try server.psql("SELECT 1", user: "app", password: "right-password") == "1")
            let error = #expect(throws: PostgresServerError.self) {
                try server.psql("SELECT 1", user: "app", password: "wrong-password")
            }
            #expect(error?.description.contains("password authentication failed") == true)
        }
    }

    @Test func connectionsCanBeTerminated() throws {
        let server = try PostgresServer.shared
        let database = try server.createDatabase(prefix: "terminate")
        #expect(try server.terminateConnections(database: database) == 0)
    }
}
