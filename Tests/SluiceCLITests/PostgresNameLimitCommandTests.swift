import Foundation
import SluiceTesting
import Testing

/// The built `sluice` against a real PostgreSQL server, with table names at and past the server's identifier limit
/// (63 bytes): a name the server would cut is refused in one line by every command before anything is created, and
/// names that fit keep their tables and their histories apart however long a prefix they share. Also the file
/// target's limit on a folder name.
@Suite("PostgreSQL and file-target name limits (the built binary)")
struct PostgresNameLimitCommandTests {
    static let csv = "symbol,date,close\nAAPL,2024-01-02,185.64\nMSFT,2024-01-02,370.87\n"
    static let changed = "symbol,date,close\nAAPL,2024-01-02,186.00\nNVDA,2024-01-02,48.17\n"

    /// One line on standard error, for a command that failed.
    static func expectOneLineFailure(
        _ outcome: SluiceProcess.Outcome,
        containing text: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(outcome.status == 1, "\(outcome.output) \(outcome.error)", sourceLocation: sourceLocation)
        let lines = outcome.error.split(separator: "\n")
        #expect(lines.count == 1, "\(outcome.error)", sourceLocation: sourceLocation)
        #expect(outcome.error.contains(text), "\(outcome.error)", sourceLocation: sourceLocation)
    }

    @Test("two tables whose names share the first 63 bytes: every command refuses either in one line, nothing made")
    func namesTheServerWouldCutAreRefused() throws {
        let server = try PostgresServer.shared
        let database = try server.createDatabase(prefix: "cli_name_limit")
        let url = server.url(database: database)
        let shared = String(repeating: "g", count: 63)
        try withWorkingDirectory { directory in
            try Self.csv.write(to: directory.appendingPathComponent("p.csv"), atomically: true, encoding: .utf8)
            for table in [shared + "1", shared + "2"] {
                let limit =
                    "table '\(table)': the name is 64 bytes; PostgreSQL keeps at most 63 bytes of an identifier "
                    + "(NAMEDATALEN - 1), so longer names would be truncated and could share storage"
                let load = try SluiceProcess.run(
                    ["load", "p.csv", "--into", url, "--table", table, "--key", "symbol,date"],
                    in: directory
                )
                Self.expectOneLineFailure(load, containing: limit)
                let commands: [[String]] = [
                    ["load", "p.csv", "--into", url, "--table", table, "--strategy", "append"],
                    ["verify", "--target", url, "--table", table],
                    ["versions", "--target", url, "--table", table],
                    ["rollback", "--target", url, "--table", table, "--to", "0190a0b0-0000-7000-8000-000000000000"],
                    ["diff", "--target", url, "--table", table, "a", "b"],
                    ["stats", "--target", url, "--table", table],
                    ["optimize", "--target", url, "--table", table],
                    ["export", "--target", url, "--table", table, "--to", "file:" + directory.path + "/out"],
                    [
                        "archive", "--target", url, "--table", table, "--before", "2024-01-01", "--to",
                        "file:" + directory.path + "/archive",
                    ],
                ]
                for command in commands {
                    let outcome = try SluiceProcess.run(command, in: directory)
                    Self.expectOneLineFailure(outcome, containing: "PostgreSQL keeps at most 63 bytes")
                }
            }
            #expect(
                try server.psql(
                    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE n.nspname = 'public'",
                    database: database
                ) == "0"
            )
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out").path))
            #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("archive").path))
        }
    }

    @Test("a column name over 63 bytes is refused in one line naming the column, and no table is made")
    func aColumnNameTheServerWouldCutIsRefused() throws {
        let server = try PostgresServer.shared
        let database = try server.createDatabase(prefix: "cli_column_limit")
        let url = server.url(database: database)
        let column = String(repeating: "c", count: 64)
        try withWorkingDirectory { directory in
            let csv = "symbol,date,\(column)\nAAPL,2024-01-02,1\n"
            try csv.write(to: directory.appendingPathComponent("p.csv"), atomically: true, encoding: .utf8)
            let load = try SluiceProcess.run(
                ["load", "p.csv", "--into", url, "--table", "prices", "--key", "symbol,date"],
                in: directory
            )
            Self.expectOneLineFailure(
                load,
                containing: "table 'prices': column '\(column)': the name is 64 bytes; PostgreSQL keeps at most 63"
            )
            #expect(try server.psql("SELECT to_regclass('prices') IS NULL", database: database) == "t")
            #expect(try server.psql("SELECT to_regclass('_sluice_versions') IS NULL", database: database) == "t")
        }
    }

    /// The reproduction of the history wipe: two 60-byte names that differ in the last byte used to share one
    /// history table (`_sluice_history_` + 60 bytes, cut by the server to its first 63 bytes), so a load of the
    /// second wiped the first's history and the first's rollback failed.
    @Test("two 60-byte table names that differ in the last byte keep their own rows, histories and rollbacks")
    func namesThatFitKeepTheirTablesAndHistoriesApart() throws {
        let server = try PostgresServer.shared
        let database = try server.createDatabase(prefix: "cli_name_pairs")
        let url = server.url(database: database)
        let prefix = String(repeating: "g", count: 59)
        let (first, second) = (prefix + "1", prefix + "2")
        try withWorkingDirectory { directory in
            try Self.csv.write(to: directory.appendingPathComponent("a.csv"), atomically: true, encoding: .utf8)
            try Self.changed.write(to: directory.appendingPathComponent("b.csv"), atomically: true, encoding: .utf8)
            var firstVersions: [String] = []
            for (table, file) in [(first, "a.csv"), (second, "a.csv"), (first, "b.csv"), (second, "b.csv")] {
                let load = try SluiceProcess.run(
                    ["load", file, "--into", url, "--table", table, "--key", "symbol,date", "--json"],
                    in: directory
                )
                #expect(load.status == 0, "\(load.error)")
                if table == first, let id = try jsonObject(load.output)["version_id"] as? String {
                    firstVersions.append(id)
                }
            }
            #expect(firstVersions.count == 2)
            let rows = { (table: String) in
                try server.psql(
                    "SELECT symbol || ':' || close FROM \(PostgresServer.quoted(table)) ORDER BY symbol",
                    database: database
                )
            }
            for table in [first, second] {
                #expect(try rows(table) == "AAPL:186.00\nMSFT:370.87\nNVDA:48.17")
            }
            let histories = try server.psql(
                "SELECT relname FROM pg_class WHERE relname LIKE '\\_sluice\\_history\\_%' AND relkind = 'r' "
                    + "ORDER BY relname",
                database: database
            ).split(separator: "\n")
            #expect(histories.count == 2, "\(histories)")
            #expect(histories.allSatisfy { $0.utf8.count <= 63 })

            // Rolling the first back to its first version leaves the second as it is, and both verify.
            let rollback = try SluiceProcess.run(
                ["rollback", "--target", url, "--table", first, "--to", firstVersions[0]],
                in: directory
            )
            #expect(rollback.status == 0, "\(rollback.error)")
            #expect(try rows(first) == "AAPL:185.64\nMSFT:370.87")
            #expect(try rows(second) == "AAPL:186.00\nMSFT:370.87\nNVDA:48.17")
            for table in [first, second] {
                let verify = try SluiceProcess.run(["verify", "--target", url, "--table", table], in: directory)
                #expect(verify.status == 0, "\(verify.error)")
            }
            let diff = try SluiceProcess.run(
                ["diff", "--target", url, "--table", second, "--json"]
                    + (try Self.versionIDs(url, second, in: directory)),
                in: directory
            )
            #expect(diff.status == 0, "\(diff.error)")
            let counts = try jsonObject(diff.output)
            #expect(counts["inserted"] as? Int == 1 && counts["updated"] as? Int == 1, "\(counts)")
        }
    }

    @Test("a file-target table name over the folder-name limit is refused in one line, and no folder is made")
    func aFileTargetTableNameOverTheLimitIsRefused() throws {
        try withWorkingDirectory { directory in
            try Self.csv.write(to: directory.appendingPathComponent("p.csv"), atomically: true, encoding: .utf8)
            let target = "file:" + directory.appendingPathComponent("lake").path
            for table in [String(repeating: "t", count: 256), String(repeating: "é", count: 101)] {
                let load = try SluiceProcess.run(
                    ["load", "p.csv", "--into", target, "--table", table, "--key", "symbol,date"],
                    in: directory
                )
                Self.expectOneLineFailure(load, containing: "bytes, the most Sluice allows in one file or folder name")
                #expect(!load.error.contains("File name too long"))
                let lake = directory.appendingPathComponent("lake").path
                let made = (try? FileManager.default.contentsOfDirectory(atPath: lake)) ?? []
                #expect(made.isEmpty, "\(made)")
            }
        }
    }

    /// The first two version ids of `table`, oldest first.
    static func versionIDs(_ url: String, _ table: String, in directory: URL) throws -> [String] {
        let versions = try SluiceProcess.run(["versions", "--target", url, "--table", table, "--json"], in: directory)
        let list = try JSONSerialization.jsonObject(with: Data(versions.output.utf8)) as? [[String: Any]] ?? []
        return Array(list.compactMap { $0["id"] as? String }.prefix(2))
    }
}
