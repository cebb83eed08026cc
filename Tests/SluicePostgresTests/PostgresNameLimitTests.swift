import Sluice
import Testing

@testable import SluicePostgres

/// The names Sluice derives from a table's name, and the names it refuses: the server keeps 63 bytes of an
/// identifier, so a derived name is fitted within them and a user's name past them is refused (unit tests, no I/O).
@Suite("PostgreSQL name limits (names only)")
struct PostgresNameLimitTests {
    static let longPrefix = String(repeating: "g", count: 59)

    @Test("names that fit are derived exactly as before: the server's own names")
    func shortNamesAreUnchanged() {
        #expect(PostgresIdentifier.history(of: "prices") == "_sluice_history_prices")
        #expect(PostgresIdentifier.rowHashes(of: "prices") == "_sluice_row_hashes_prices")
        #expect(PostgresIdentifier.primaryKey(of: "prices") == nil)
        #expect(PostgresIdentifier.historyIndex(of: "_sluice_history_prices") == nil)
        let table47 = String(repeating: "h", count: 47)
        #expect(PostgresIdentifier.history(of: table47) == "_sluice_history_" + table47)
        #expect(PostgresIdentifier.primaryKey(of: String(repeating: "k", count: 58)) == nil)
        #expect(PostgresHistory.serverTruncatedName(of: table47) == nil)
    }

    @Test(
        "every derived name fits in 63 bytes, is deterministic, and differs for names that share a long prefix",
        arguments: [47, 48, 60, 63]
    )
    func derivedNamesFitAndStayApart(length: Int) {
        let first = String(repeating: "g", count: length - 1) + "1"
        let second = String(repeating: "g", count: length - 1) + "2"
        let derivations: [(String) -> String?] = [
            PostgresIdentifier.history(of:), PostgresIdentifier.rowHashes(of:), PostgresIdentifier.primaryKey(of:),
            { PostgresIdentifier.historyIndex(of: PostgresIdentifier.history(of: $0)) },
            { PostgresIdentifier.index(table: $0, columns: ["symbol", "date"]) },
            { PostgresIdentifier.partition(table: $0, suffix: "2024_01") },
            { PostgresIdentifier.partition(table: $0, suffix: "default") },
        ]
        for derive in derivations {
            let (a, b) = (derive(first), derive(second))
            #expect(a == derive(first))
            #expect((a?.utf8.count ?? 0) <= PostgresIdentifier.maximumBytes, "\(a ?? "")")
            if let a, let b { #expect(a != b, "\(a)") }
        }
        let history = PostgresIdentifier.history(of: first)
        #expect(history.hasPrefix("_sluice_history_g"))
        if length > 47 {
            #expect(history.utf8.count == 63)
            #expect(PostgresIdentifier.truncatedByServer(history) == history)
        }
    }

    @Test("a primary key whose server name would be cut gets a fitted name; the others stay the server's")
    func primaryKeys() throws {
        let table = Self.longPrefix + "1"
        let name = try #require(PostgresIdentifier.primaryKey(of: table))
        #expect(name.utf8.count == 63 && name.hasSuffix("_pkey") && name.hasPrefix("ggg"))
        #expect(name != PostgresIdentifier.primaryKey(of: Self.longPrefix + "2"))
        let index = try #require(PostgresIdentifier.historyIndex(of: PostgresIdentifier.history(of: table)))
        #expect(index.utf8.count == 63 && index.hasSuffix("_idx"))
    }

    @Test("the server's cut is by code point, as truncate_identifier cuts UTF-8")
    func serverTruncation() {
        #expect(PostgresIdentifier.truncatedByServer(String(repeating: "x", count: 70)).utf8.count == 63)
        // 21 three-byte characters are 63 bytes; a 22nd does not fit, and a two-byte one after 62 bytes neither.
        #expect(
            PostgresIdentifier.truncatedByServer(String(repeating: "日", count: 22)) == String(repeating: "日", count: 21)
        )
        #expect(
            PostgresIdentifier.truncatedByServer(String(repeating: "x", count: 62) + "é")
                == String(repeating: "x", count: 62)
        )
        // A combining mark is a code point of its own: the server may keep "e" and drop the accent.
        let decomposed = String(repeating: "x", count: 62) + "e\u{301}"
        #expect(Array(PostgresIdentifier.truncatedByServer(decomposed).unicodeScalars).count == 63)
        let table = String(repeating: "g", count: 50)
        #expect(PostgresHistory.serverTruncatedName(of: table) == "_sluice_history_" + String(table.prefix(47)))
    }

    @Test("names of 63 bytes are kept; longer ones are refused in one line naming the limit", arguments: [63, 64, 300])
    func tableNames(bytes: Int) {
        let table = String(repeating: "t", count: bytes)
        guard bytes > 63 else {
            #expect(throws: Never.self) { try PostgresIdentifier.check(table: table) }
            return
        }
        let error = #expect(throws: SluiceError.self) { try PostgresIdentifier.check(table: table) }
        #expect(error?.code == .invalidRequest)
        let message = error?.message ?? ""
        #expect(
            message.hasSuffix(
                ": the name is \(bytes) bytes; PostgreSQL keeps at most 63 bytes of an identifier (NAMEDATALEN - 1), "
                    + "so longer names would be truncated and could share storage"
            ),
            "\(message)"
        )
        #expect(message.hasPrefix("table 'ttt"))
        #expect(!message.contains("\n"))
        #expect(message.utf8.count < 400)
    }

    @Test("the limit is bytes of UTF-8, not characters")
    func multiByteNames() {
        #expect(throws: Never.self) { try PostgresIdentifier.check(table: String(repeating: "日", count: 21)) }
        let error = #expect(throws: SluiceError.self) {
            try PostgresIdentifier.check(table: String(repeating: "日", count: 22))
        }
        #expect(error?.message.contains("the name is 66 bytes") == true)
    }

    @Test("a column over 63 bytes is refused naming the table and the column")
    func columnNames() {
        let column = String(repeating: "c", count: 64)
        let schema = Schema(columns: [Column("symbol", .string), Column(column, .int64)], keyColumns: ["symbol"])
        let error = #expect(throws: SluiceError.self) {
            try PostgresIdentifier.check(table: "prices", schema: schema)
        }
        #expect(error?.message.hasPrefix("table 'prices': column '\(column)': the name is 64 bytes;") == true)
        let fits = Schema(columns: [Column(String(repeating: "c", count: 63), .int64)])
        #expect(throws: Never.self) { try PostgresIdentifier.check(table: "prices", schema: fits) }
    }

    @Test("the lock keys hash the whole table name")
    func lockKeys() {
        let shared = String(repeating: "g", count: 70)
        #expect(PostgresLockKey.table(shared + "1") == "sluice:table:" + shared + "1")
        #expect(PostgresLockKey.load(shared + "1") != PostgresLockKey.load(shared + "2"))
        #expect(PostgresLockKey.table("prices") != PostgresLockKey.load("prices"))
    }
}
