import Foundation
import Sluice
import SluicePostgres
import Testing

@Suite("~/.pgpass matching")
struct PGPassUnitTests {
    let file = PGPassFile(
        text: """
            # comment
            db.example:5432:market:etl:first
            db.example:*:*:etl:second
            *:*:*:*:fallback
            odd\\:host:5432:db:user:pa\\:ss
            broken:line
            """
    )

    @Test func theFirstMatchingLineWins() {
        #expect(file.password(host: "db.example", port: 5432, database: "market", username: "etl") == "first")
        #expect(file.password(host: "db.example", port: 6543, database: "other", username: "etl") == "second")
        #expect(file.password(host: "elsewhere", port: 5432, database: "x", username: "y") == "fallback")
    }

    @Test func escapedColonsAndBackslashes() {
        #expect(file.entries.contains { $0.host == "odd:host" && $0.password == "pa:ss" })
        let escaped = PGPassFile(text: #"h:1:d:u:back\\slash"#)
        #expect(escaped.entries.first?.password == #"back\slash"#)
    }

    @Test func commentsAndMalformedLinesAreIgnored() {
        #expect(file.entries.count == 4)
        #expect(PGPassFile(text: "").password(host: "h", port: 1, database: "d", username: "u") == nil)
    }

    @Test func theConfigurationReadsPGPASSFILE() throws {
        let path = "/tmp/sluice-pgpass-\(UInt64.random(in: 0...UInt64.max))"
        try "db:5432:market:etl:from-file\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let configuration = try PostgresLoader.Configuration.parse(
            TargetURL("postgres://etl@db/market"),
            environment: ["PGPASSFILE": path]
        )
        #expect(configuration.password == "from-file")
        let other = try PostgresLoader.Configuration.parse(
            TargetURL("postgres://etl@db/other"),
            environment: ["PGPASSFILE": path]
        )
        #expect(other.password == nil)
    }
}
