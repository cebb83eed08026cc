import Foundation
import Sluice
import SluicePostgres
import SluiceTesting
import Testing

@Suite("PostgreSQL time-range partitions (--partition-by)")
struct PostgresPartitionTests {
    static let monthly = Partitioning(column: "date", granularity: .month)

    /// `partition:rows` for every partition holding rows, in name order.
    static func placement(_ database: ScratchDatabase, table: String = "prices") throws -> String {
        try database.psql(
            "SELECT tableoid::regclass::text || ':' || count(*) FROM \(table) GROUP BY tableoid ORDER BY 1"
        )
    }

    @Test func appendCreatesOnePartitionPerMonthAndRowsLandInThem() async throws {
        let database = try ScratchDatabase(prefix: "part_month")
        let rows = DailyPriceRows.rows(symbols: ["AAPL", "MSFT"], start: "2024-01-30", days: 33)
        let result = try await database.withLoader { loader in
            let request = LoadRequest(
                table: "prices",
                strategy: .append,
                keyColumns: ["symbol", "date"],
                partitioning: Self.monthly
            )
            let result = try await loader.load(try DailyPriceRows.stream(rows), request: request)
            #expect(try await loader.verify(table: "prices").isValid)
            return result
        }
        #expect(result.metrics.recordsInserted == 66)
        #expect(try Self.placement(database) == "prices_2024_01:4\nprices_2024_02:58\nprices_2024_03:4")
        #expect(try database.psql("SELECT count(*) FROM prices_default") == "0")
        #expect(
            try database.psql("SELECT partstrat FROM pg_partitioned_table WHERE partrelid = 'prices'::regclass") == "r"
        )
        #expect(
            try database.psql("SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = 'prices_2024_02'")
                == "FOR VALUES FROM ('2024-02-01') TO ('2024-03-01')"
        )
    }

    @Test func yearlyPartitionsAndALaterLoadAddsNewOnes() async throws {
        let database = try ScratchDatabase(prefix: "part_year")
        try await database.withLoader { loader in
            var request = LoadRequest(table: "prices", strategy: .upsert, keyColumns: ["symbol", "date"])
            request.partitioning = Partitioning(column: "date", granularity: .year)
            let first = DailyPriceRows.rows(symbols: ["AAPL"], start: "2022-12-20", days: 20)
            _ = try await loader.load(try DailyPriceRows.stream(first), request: request)
            request.partitioning = nil
            let later = DailyPriceRows.rows(symbols: ["AAPL"], start: "2024-12-30", days: 5)
            let result = try await loader.load(try DailyPriceRows.stream(later), request: request)
            #expect(result.metrics.recordsInserted == 5)
            #expect(try await loader.verify(table: "prices").isValid)
        }
        #expect(try Self.placement(database) == "prices_2022:12\nprices_2023:8\nprices_2024:2\nprices_2025:3")
    }

    @Test func upsertIntoAPartitionedTableCountsExactlyAndChecksumsLikeAnUnpartitionedOne() async throws {
        let database = try ScratchDatabase(prefix: "part_upsert")
        let first = DailyPriceRows.rows(symbols: ["AAPL", "MSFT", "IBM"], start: "2024-01-15", days: 40)
        // Half the second load is new (later days), a third of the rest changed.
        var second = DailyPriceRows.rows(symbols: ["AAPL", "MSFT", "IBM"], start: "2024-02-04", days: 40)
        for index in second.indices where (index % 40) % 3 == 0 {
            second[index][2] = .decimal(ExactDecimal("11.2500")!)
        }
        let checksums = try await database.withLoader { loader in
            var checksums: [String] = []
            for (table, partitioning) in [("plain", nil), ("parted", Self.monthly)] {
                let request = LoadRequest(
                    table: table,
                    strategy: .upsert,
                    keyColumns: ["symbol", "date"],
                    partitioning: partitioning
                )
                _ = try await loader.load(try DailyPriceRows.stream(first), request: request)
                let result = try await loader.load(try DailyPriceRows.stream(second), request: request)
                #expect(result.metrics.recordsInserted == 60, "\(table)")
                #expect(result.metrics.recordsUpdated == 7 * 3, "\(table)")
                #expect(result.metrics.recordsSkipped == 20 * 3 - 7 * 3, "\(table)")
                let verification = try await loader.verify(table: table)
                #expect(verification.isValid, "\(table)")
                #expect(verification.actualRecordCount == 180)
                checksums.append(result.checksum)
            }
            return checksums
        }
        #expect(checksums[0] == checksums[1])
        #expect(
            try Self.placement(database, table: "parted")
                == "parted_2024_01:51\nparted_2024_02:87\nparted_2024_03:42"
        )
    }

    @Test func aNullPartitionValueFailsNamingTheSourceLine() async throws {
        let database = try ScratchDatabase(prefix: "part_null")
        let schema = Schema(columns: [Column("id", .int64), Column("date", .date, isNullable: true)])
        let rows: [[Value]] = [[.int64(1), .date(CivilDate("2024-01-02")!)], [.int64(2), .null]]
        try await database.withLoader { loader in
            let request = LoadRequest(table: "events", strategy: .append, partitioning: Self.monthly)
            let error = await #expect(throws: SluiceError.self) {
                try await loader.load(
                    try DailyPriceRows.stream(rows, schema: schema, source: "events.csv"),
                    request: request
                )
            }
            #expect(
                error?.message.hasPrefix("events.csv:2: no value in partition column 'date'") == true,
                "\(String(describing: error))"
            )
        }
        #expect(try database.psql("SELECT to_regclass('events') IS NULL") == "t")
    }

    @Test func aKeyWithoutThePartitionColumnFails() async throws {
        let database = try ScratchDatabase(prefix: "part_key")
        let rows = DailyPriceRows.rows(symbols: ["AAPL"], start: "2024-01-01", days: 3)
        try await database.withLoader { loader in
            let request = LoadRequest(
                table: "prices",
                strategy: .upsert,
                keyColumns: ["symbol"],
                partitioning: Self.monthly
            )
            let error = await #expect(throws: SluiceError.self) {
                try await loader.load(try DailyPriceRows.stream(rows), request: request)
            }
            #expect(error?.message.contains("does not include the partition column 'date'") == true)
        }
        #expect(try database.psql("SELECT to_regclass('prices') IS NULL") == "t")
    }

    @Test func badPartitioningTextIsAClearError() throws {
        #expect(throws: SluiceError.self) { try Partitioning(parsing: "date") }
        #expect(throws: SluiceError.self) { try Partitioning(parsing: "date:week") }
        #expect(throws: SluiceError.self) { try Partitioning(parsing: ":month") }
        #expect(try Partitioning(parsing: "trade_date:YEAR") == Partitioning(column: "trade_date", granularity: .year))
    }

    @Test func statisticsSumOverPartitionsAndCountThem() async throws {
        let database = try ScratchDatabase(prefix: "part_stats")
        let rows = DailyPriceRows.rows(symbols: ["AAPL", "MSFT"], start: "2024-01-01", days: 92)
        let statistics = try await database.withLoader { loader in
            let request = LoadRequest(
                table: "prices",
                strategy: .upsert,
                keyColumns: ["symbol", "date"],
                indexes: [["volume"]],
                partitioning: Self.monthly
            )
            _ = try await loader.load(try DailyPriceRows.stream(rows), request: request)
            return try await loader.statistics(table: "prices")
        }
        let table = try #require(statistics.tables.first)
        #expect(table.rowCount == 184)
        #expect(table.partitions == 4)
        #expect(table.details["partition_by"] == "date:month")
        #expect((table.bytes ?? 0) > 0)
        #expect(table.indexes?.map(\.name) == ["prices_pkey", "prices_volume_idx"])
        #expect(table.indexes?.allSatisfy { ($0.bytes ?? 0) > 0 } == true)
        #expect(table.advice?.contains { $0.kind == .unused && $0.index == "prices_volume_idx" } == true)
    }

    @Test func aLongTableNameGivesShortenedPartitionNames() async throws {
        let database = try ScratchDatabase(prefix: "part_long")
        let table = String(repeating: "daily_prices_", count: 4) + "extra1"
        let rows = DailyPriceRows.rows(symbols: ["AAPL"], start: "2024-01-30", days: 3)
        try await database.withLoader { loader in
            let request = LoadRequest(table: table, strategy: .append, partitioning: Self.monthly)
            _ = try await loader.load(try DailyPriceRows.stream(rows), request: request)
            _ = try await loader.load(
                try DailyPriceRows.stream(DailyPriceRows.rows(symbols: ["MSFT"], start: "2024-02-10", days: 1)),
                request: LoadRequest(table: table, strategy: .append)
            )
            #expect(try await loader.verify(table: table).isValid)
        }
        let names = try database.psql(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                + "WHERE i.inhparent = '\(table)'::regclass ORDER BY 1"
        ).split(separator: "\n")
        #expect(names.count == 3)
        #expect(names.allSatisfy { $0.utf8.count <= 63 })
        #expect(names.filter { $0.hasSuffix("_2024_02") }.count == 1)
        #expect(try database.psql("SELECT count(*) FROM \"\(table)\"") == "4")
    }
    @Test func aTablePartitionedOutsideSluiceIsFoundInTheCatalogAndKeepsGettingPartitions() async throws {
        let database = try ScratchDatabase(prefix: "part_foreign")
        _ = try database.psql(
            """
            CREATE TABLE quotes (symbol text, date date, close numeric(18,4), volume bigint, PRIMARY KEY (symbol, date))
            PARTITION BY RANGE (date);
            CREATE TABLE quotes_jan PARTITION OF quotes FOR VALUES FROM ('2024-01-01') TO ('2024-02-01')
            """
        )
        try await database.withLoader { loader in
            var request = LoadRequest(table: "quotes", strategy: .upsert, partitioning: Self.monthly)
            let first = DailyPriceRows.rows(symbols: ["AAPL"], start: "2024-01-30", days: 4)
            _ = try await loader.load(try DailyPriceRows.stream(first), request: request)
            request.partitioning = nil
            let later = DailyPriceRows.rows(symbols: ["AAPL"], start: "2024-03-05", days: 2)
            _ = try await loader.load(try DailyPriceRows.stream(later), request: request)
            #expect(try await loader.verify(table: "quotes").isValid)
            request.partitioning = Partitioning(column: "date", granularity: .year)
            let error = await #expect(throws: SluiceError.self) {
                try await loader.load(try DailyPriceRows.stream(later), request: request)
            }
            #expect(error?.message.contains("is partitioned by date:month") == true, "\(String(describing: error))")
        }
        #expect(try Self.placement(database, table: "quotes") == "quotes_2024_02:2\nquotes_2024_03:2\nquotes_jan:2")
        #expect(try database.psql("SELECT count(*) FROM pg_inherits WHERE inhparent = 'quotes'::regclass") == "4")
    }

    @Test func partitioningAnExistingUnpartitionedTableIsAnError() async throws {
        let database = try ScratchDatabase(prefix: "part_exists")
        let rows = DailyPriceRows.rows(symbols: ["AAPL"], start: "2024-01-01", days: 3)
        try await database.withLoader { loader in
            var request = LoadRequest(table: "prices", strategy: .upsert, keyColumns: ["symbol", "date"])
            _ = try await loader.load(try DailyPriceRows.stream(rows), request: request)
            request.partitioning = Self.monthly
            let error = await #expect(throws: SluiceError.self) {
                try await loader.load(try DailyPriceRows.stream(rows), request: request)
            }
            #expect(error?.message.contains("exists and is not partitioned") == true)
        }
    }
}
