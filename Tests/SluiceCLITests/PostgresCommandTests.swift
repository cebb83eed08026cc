import Foundation
import SluiceTesting
import Testing

/// The built `sluice` against a real PostgreSQL server: load, verify, stats and optimize by URL, and a wrong
/// password that fails in one line without showing the password.
@Suite("sluice on PostgreSQL (the built binary)")
struct PostgresCommandTests {
    @Test func loadVerifyStatsAndOptimize() throws {
        let server = try PostgresServer.shared
        let database = try server.createDatabase(prefix: "cli")
        let url = server.url(database: database)
        try withWorkingDirectory { directory in
            let sample = try SluiceProcess.run(
                ["sample", "ohlcv", "--rows", "1000", "--symbols", "10", "--output", "prices.csv.gz"],
                in: directory
            )
            #expect(sample.status == 0, "\(sample.error)")

            let load = try SluiceProcess.run(
                ["load", "prices.csv.gz", "--into", url, "--table", "prices", "--key", "symbol,date", "--json"],
                in: directory
            )
            #expect(load.status == 0, "\(load.error)")
            let metrics = try jsonObject(load.output)
            #expect(metrics["records_inserted"] as? Int == 1000)
            let version = try #require(metrics["version_id"] as? String)
            #expect(try server.psql("SELECT count(*) FROM prices", database: database) == "1000")
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("sluice.sqlite").path))

            let verify = try SluiceProcess.run(["verify", "--target", url, "--table", "prices"], in: directory)
            #expect(verify.status == 0, "\(verify.error)")
            #expect(verify.output.contains(version))

            let stats = try jsonObject(
                try SluiceProcess.run(["stats", "--target", url, "--table", "prices", "--json"], in: directory).output
            )
            let tables = try #require(stats["tables"] as? [[String: Any]])
            #expect(tables.first?["name"] as? String == "prices")
            #expect(tables.first?["row_count"] as? Int == 1000)

            let optimize = try SluiceProcess.run(["optimize", "--target", url, "--table", "prices"], in: directory)
            #expect(optimize.status == 0, "\(optimize.error)")
        }
    }

    @Test func theTargetDefaultsToSluiceDatabaseURL() throws {
        let server = try PostgresServer.shared
        let database = try server.createDatabase(prefix: "cli_env")
        try withWorkingDirectory { directory in
            try SluiceProcess.run(["sample", "ohlcv", "--rows", "50", "--output", "p.csv"], in: directory)
            let environment = ["SLUICE_DATABASE_URL": server.url(database: database)]
            let load = try SluiceProcess.run(
                ["load", "p.csv", "--table", "prices", "--key", "symbol,date"],
                in: directory,
                environment: environment
            )
            #expect(load.status == 0, "\(load.error)")
            #expect(try server.psql("SELECT count(*) FROM prices", database: database) == "50")
            let verify = try SluiceProcess.run(
                ["verify", "--table", "prices"],
                in: directory,
                environment: environment
            )
            #expect(verify.status == 0, "\(verify.error)")
        }
    }

    @Test func aWrongPasswordFailsInOneLineWithoutThePassword() async throws {
        let configuration = PostgresServer.Configuration(superuserPassword: "superuser-secret")
        try await withPostgresServer(configuration) { server in
            try server.psql(
                "CREATE ROLE loader LOGIN PASSWORD 'right-horse-battery'; CREATE DATABASE market OWNER loader"
            )
            try withWorkingDirectory { directory in
                try SluiceProcess.run(["sample", "ohlcv", "--rows", "20", "--output", "p.csv"], in: directory)
                let wrong = server.url(database: "market", user: "loader", password: "wrong-staple-827")
                let failed = try SluiceProcess.run(
                    ["load", "p.csv", "--into", wrong, "--table", "prices", "--key", "symbol,date"],
                    in: directory
                )
                #expect(failed.status != 0)
                let message = failed.error.trimmingCharacters(in: .whitespacesAndNewlines)
                #expect(!message.isEmpty && !message.contains("\n"), "\(failed.error)")
                #expect(message.hasPrefix("error:"), "\(message)")
                #expect(message.lowercased().contains("password") || message.contains("authentication"), "\(message)")
                #expect(!failed.error.contains("wrong-staple-827") && !failed.output.contains("wrong-staple-827"))

                let right = server.url(database: "market", user: "loader", password: "right-horse-battery")
                let loaded = try SluiceProcess.run(
                    ["load", "p.csv", "--into", right, "--table", "prices", "--key", "symbol,date"],
                    in: directory
                )
                #expect(loaded.status == 0, "\(loaded.error)")
                #expect(!loaded.output.contains("right-horse-battery") && !loaded.error.contains("right-horse-battery"))
            }
        }
    }
}
