import Foundation
import Sluice
import SluiceFormats
import SluicePostgres
import SluiceTesting
import Testing

/// A row Sluice accepts but PostgreSQL rejects (a table made by hand, with a `CHECK`, an `integer` or a
/// `varchar(8)` column): the load fails naming the row's file and line, and writes nothing.
///
/// Append only for now: a keyed load stages rows in a table of Sluice's own types without the table's constraints,
/// so the server rejects the row later, in the set-based `INSERT`/`UPDATE`, where its line is not known.
@Suite("PostgreSQL rejects a row: the error names its source line")
struct PostgresRejectTests {
    static let tableSQL = """
        CREATE TABLE "quotes" ("symbol" varchar(8) NOT NULL, "date" date NOT NULL, "close" numeric(10,2) NOT NULL,
        "volume" integer CHECK ("volume" >= 0), PRIMARY KEY ("symbol", "date"))
        """
    static let header = "symbol,date,close,volume\n"
    static let seed = header + "AAPL,2024-01-02,185.64,100\nMSFT,2024-01-02,370.87,200\nNVDA,2024-01-02,48.17,300\n"

    /// A row the server refuses, and what it says.
    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var row: String
        var message: String
        var testDescription: String { name }

        static let all = [
            Refusal(
                name: "check constraint",
                row: "IBM,2024-01-03,10.00,-5",
                message:
                    #"new row for relation "quotes" violates check constraint "quotes_volume_check" (SQLSTATE 23514)"#
            ),
            Refusal(
                name: "integer out of range",
                row: "IBM,2024-01-03,10.00,3000000000",
                message: #"value "3000000000" is out of range for type integer (SQLSTATE 22003)"#
            ),
            Refusal(
                name: "varchar too long",
                row: "TOOLONGSYMBOL,2024-01-03,10.00,5",
                message: "value too long for type character varying(8) (SQLSTATE 22001)"
            ),
        ]
    }

    @Test(
        "a row the server rejects during a keyed load fails the load with file:line and the server's reason",
        arguments: [LoadingStrategy.upsert, .replace, .insertOnly, .updateOnly],
        Refusal.all
    )
    func serverRejectsARowOfAKeyedLoad(strategy: LoadingStrategy, refusal: Refusal) async throws {
        let rows = ["AAPL,2024-01-02,1.00,1", "MSFT,2024-01-02,2.00,2", refusal.row, "NVDA,2024-01-02,3.00,3"]
        let file = Self.header + rows.joined(separator: "\n") + "\n"
        let message = try await failedLoadMessage(strategy: strategy, file: file)
        // The staging table has the table's types and constraints, so the COPY refuses the row and names its line;
        // the message names the table, not the staging table.
        #expect(message == "file.csv:4: " + refusal.message, "\(message ?? "no error")")
    }

    @Test(
        "a row the server rejects during an append fails the load with file:line and the server's reason",
        arguments: Refusal.all
    )
    func serverRejectsARowOfAnAppend(refusal: Refusal) async throws {
        let rows = ["AMD,2024-01-03,1.00,1", "ARM,2024-01-03,2.00,2", refusal.row, "AVGO,2024-01-03,3.00,3"]
        let message = try await failedLoadMessage(
            strategy: .append,
            file: Self.header + rows.joined(separator: "\n") + "\n"
        )
        #expect(message == "file.csv:4: " + refusal.message)
    }

    @Test("a rejected row deep in a big file is named by its own line")
    func rejectedRowDeepInABigFile() async throws {
        var text = Self.header
        text.reserveCapacity(2_400_000)
        for row in 0..<80_000 {
            text += row == 60_000 ? "BAD,2024-01-03,1.00,-1\n" : "S\(row),2024-01-03,\(row % 1000).25,\(row)\n"
        }
        let message = try await failedLoadMessage(strategy: .append, file: text)
        #expect(message?.hasPrefix("file.csv:60002: ") == true, "\(message ?? "no error")")
        #expect(message?.contains("violates check constraint \"quotes_volume_check\"") == true)
    }

    @Test("a decimal wider than the column is Sluice's own reject, with its line and column")
    func decimalTooWideIsRejectedBeforeTheServer() async throws {
        let message = try await failedLoadMessage(
            strategy: .upsert,
            file: Self.header + "AMD,2024-01-03,1.00,1\nIBM,2024-01-03,123456789.50,5\n"
        )
        #expect(message?.hasPrefix("file.csv:3:") == true, "\(message ?? "no error")")
    }

    /// Creates the table by hand, seeds it through Sluice, loads `file` (as `file.csv`) with `strategy`, and
    /// returns the load's error message (the file's path shown as `file.csv`) after checking that nothing changed.
    func failedLoadMessage(
        strategy: LoadingStrategy,
        file: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> String? {
        let server = try PostgresServer.shared
        let database = try server.createDatabase(prefix: "reject")
        try server.psql(Self.tableSQL, database: database)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-reject-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let seedPath = directory.appendingPathComponent("seed.csv").path
        let path = directory.appendingPathComponent("file.csv").path
        try Self.seed.write(toFile: seedPath, atomically: true, encoding: .utf8)
        try file.write(toFile: path, atomically: true, encoding: .utf8)

        return try await withLoader(server.url(database: database), factories: [PostgresLoader.factory]) { loader in
            let seeded = try await Self.load(seedPath, into: loader, strategy: .upsert)
            var message: String?
            do {
                let result = try await Self.load(path, into: loader, strategy: strategy)
                Issue.record("the load succeeded: \(result.metrics)", sourceLocation: sourceLocation)
            } catch let error as SluiceError {
                message = error.message.replacingOccurrences(of: path, with: "file.csv")
                #expect(!error.message.contains("\n"), "\(error.message)", sourceLocation: sourceLocation)
            }
            let verification = try await loader.verify(table: "quotes")
            #expect(verification.isValid, sourceLocation: sourceLocation)
            #expect(verification.versionID == seeded.version?.id, sourceLocation: sourceLocation)
            #expect(verification.actualChecksum == seeded.checksum, sourceLocation: sourceLocation)
            #expect(verification.actualRecordCount == 3, sourceLocation: sourceLocation)
            #expect(try await loader.versions(table: "quotes").count == 1, sourceLocation: sourceLocation)
            #expect(try server.psql("SELECT count(*) FROM quotes", database: database) == "3")
            return message
        }
    }

    static func load(_ path: String, into loader: any Loader, strategy: LoadingStrategy) async throws -> LoadResult {
        var options = ReadOptions()
        options.schema = try await loader.schema(of: "quotes")
        let opened = try FileSource.open(paths: [path], options: options)
        let request = LoadRequest(table: "quotes", strategy: strategy, keyColumns: ["symbol", "date"], source: path)
        return try await loader.load(opened.stream, request: request)
    }
}
