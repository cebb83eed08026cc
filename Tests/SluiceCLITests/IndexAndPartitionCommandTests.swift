import Foundation
import SluiceTesting
import Testing

/// `--index` and `--partition-by` through the built `sluice`: on the embedded SQLite default and on PostgreSQL.
@Suite("sluice load --index and --partition-by (the built binary)")
struct IndexAndPartitionCommandTests {
    @Test func indexOnTheEmbeddedDefault() throws {
        try withWorkingDirectory { directory in
            try SluiceProcess.run(["sample", "ohlcv", "--rows", "200", "--output", "p.csv"], in: directory)
            let arguments = ["load", "p.csv", "--table", "prices", "--key", "symbol,date", "--index", "date"]
            let load = try SluiceProcess.run(arguments + ["--index", "volume,symbol"], in: directory)
            #expect(load.status == 0, "\(load.error)")
            let rerun = try SluiceProcess.run(arguments, in: directory)
            #expect(rerun.status == 0, "\(rerun.error)")
            let indexes = try SluiceProcess.runTool(
                "sqlite3",
                [
                    "sluice.sqlite",
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'prices' AND sql IS NOT NULL ORDER BY 1",
                ],
                in: directory
            )
            #expect(indexes.output == "prices_date_idx\nprices_volume_symbol_idx\n")
        }
    }

    @Test func badFlagsAreClearErrors() throws {
        try withWorkingDirectory { directory in
            try SluiceProcess.run(["sample", "ohlcv", "--rows", "20", "--output", "p.csv"], in: directory)
            let unknown = try SluiceProcess.run(
                ["load", "p.csv", "--table", "prices", "--index", "nope"],
                in: directory
            )
            #expect(unknown.status != 0)
            #expect(unknown.error.contains("no column 'nope'"), "\(unknown.error)")
            let badText = try SluiceProcess.run(
                ["load", "p.csv", "--table", "prices", "--partition-by", "date:week"],
                in: directory
            )
            #expect(badText.status != 0)
            #expect(badText.error.contains("COLUMN:GRANULARITY"), "\(badText.error)")
            let onSQLite = try SluiceProcess.run(
                ["load", "p.csv", "--table", "prices", "--partition-by", "date:month"],
                in: directory
            )
            #expect(onSQLite.status != 0)
            #expect(onSQLite.error.contains("not supported by this target"), "\(onSQLite.error)")
        }
    }

    @Test func partitionByAndIndexOnPostgres() throws {
        let server = try PostgresServer.shared
        let database = try server.createDatabase(prefix: "cli_part")
        let url = server.url(database: database)
        try withWorkingDirectory { directory in
            try SluiceProcess.run(
                ["sample", "ohlcv", "--rows", "3000", "--symbols", "10", "--output", "p.csv"],
                in: directory
            )
            let load = try SluiceProcess.run(
                [
                    "load", "p.csv", "--into", url, "--table", "prices", "--key", "symbol,date", "--partition-by",
                    "date:month", "--index", "date", "--json",
                ],
                in: directory
            )
            #expect(load.status == 0, "\(load.error)")
            #expect(try jsonObject(load.output)["records_inserted"] as? Int == 3000)
            let months = try server.psql(
                "SELECT count(DISTINCT date_trunc('month', date)) FROM prices",
                database: database
            )
            let partitions = try server.psql(
                "SELECT count(*) FROM pg_inherits WHERE inhparent = 'prices'::regclass",
                database: database
            )
            #expect(Int(partitions) == (Int(months) ?? 0) + 1, "one per month, and the default")
            #expect(
                try server.psql(
                    "SELECT count(*) FROM pg_indexes WHERE indexname = 'prices_date_idx'",
                    database: database
                )
                    == "1"
            )
            let verify = try SluiceProcess.run(["verify", "--target", url, "--table", "prices"], in: directory)
            #expect(verify.status == 0, "\(verify.error)")

            let stats = try SluiceProcess.run(["stats", "--target", url, "--table", "prices"], in: directory)
            #expect(stats.status == 0, "\(stats.error)")
            #expect(stats.output.contains("partitions"))
            #expect(stats.output.contains("prices_date_idx"))
            #expect(stats.output.contains("advice"), "\(stats.output)")
            let json = try jsonObject(
                try SluiceProcess.run(["stats", "--target", url, "--table", "prices", "--json"], in: directory).output
            )
            let table = try #require((json["tables"] as? [[String: Any]])?.first)
            #expect(table["partitions"] as? Int == Int(months))
            #expect((table["indexes"] as? [[String: Any]])?.count == 2)
            #expect((table["advice"] as? [[String: Any]])?.isEmpty == false)
        }
    }
}
