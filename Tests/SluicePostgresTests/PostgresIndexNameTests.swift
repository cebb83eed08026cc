import Sluice
import Testing

@testable import SluicePostgres

/// Names Sluice makes up for indexes and partitions: deterministic, within 63 bytes, distinct.
@Suite("PostgreSQL index and partition names")
struct PostgresIndexNameTests {
    @Test func shortNamesAreKeptAsTheyAre() {
        #expect(PostgresIdentifier.index(table: "prices", columns: ["symbol", "date"]) == "prices_symbol_date_idx")
        #expect(PostgresIdentifier.partition(table: "prices", suffix: "2024_01") == "prices_2024_01")
    }

    @Test func longNamesFitIn63BytesAndStayDistinctAndDeterministic() {
        let shared = String(repeating: "x", count: 70)
        let first = PostgresIdentifier.index(table: shared + "a", columns: ["c"])
        let second = PostgresIdentifier.index(table: shared + "b", columns: ["c"])
        #expect(first.utf8.count == 63)
        #expect(first.hasSuffix("_idx"))
        #expect(first != second)
        #expect(first == PostgresIdentifier.index(table: shared + "a", columns: ["c"]))
        let partition = PostgresIdentifier.partition(table: shared, suffix: "2024_01_31")
        #expect(partition.utf8.count <= 63)
        #expect(partition.hasSuffix("_2024_01_31"))
    }

    @Test func multiByteNamesAreCutBetweenCharacters() {
        let name = PostgresIdentifier.partition(table: String(repeating: "日本", count: 20), suffix: "2024")
        #expect(name.utf8.count <= 63)
        #expect(name.hasPrefix("日本日本"))
        #expect(name.hasSuffix("_2024"))
    }

    @Test func partitionRangesAndSuffixes() {
        let monthly = Partitioning(column: "date", granularity: .month)
        let december = monthly.range(containing: CivilDate("2024-12-31")!)
        #expect("\(december.lower)..\(december.upper)" == "2024-12-01..2025-01-01")
        #expect(monthly.suffix(startingOn: december.lower) == "2024_12")
        let yearly = Partitioning(column: "date", granularity: .year).range(containing: CivilDate("2024-02-29")!)
        #expect("\(yearly.lower)..\(yearly.upper)" == "2024-01-01..2025-01-01")
        let daily = Partitioning(column: "date", granularity: .day)
        let leap = daily.range(containing: CivilDate("2024-02-29")!)
        #expect("\(leap.lower)..\(leap.upper)" == "2024-02-29..2024-03-01")
        #expect(daily.suffix(startingOn: leap.lower) == "2024_02_29")
    }
}
