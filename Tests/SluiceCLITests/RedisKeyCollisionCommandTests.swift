import Foundation
import SluiceTesting
import Testing

/// The built `sluice load` into a real Redis: key values and table names holding `:` never make two rows share a
/// key, tables written before escaping existed are upgraded (or refused when they cannot be), and templates that
/// could share keys are refused.
@Suite("sluice load into Redis: injective keys (the built binary)", .timeLimit(.minutes(3)))
struct RedisKeyCollisionCommandTests {
    /// A URL on the shared server in a namespace of its own.
    static func target() throws -> (url: String, namespace: String, server: RedisServer) {
        let namespace = "kc-\(UUID().uuidString.prefix(8))"
        let server = try RedisServer.shared
        return (server.url(database: 11) + "?namespace=" + namespace, namespace, server)
    }

    static func load(_ arguments: [String], in directory: URL) throws -> [String: Any] {
        let run = try SluiceProcess.run(["load"] + arguments + ["--json"], in: directory)
        guard run.status == 0 else { throw CLITestError("load failed: \(run.error)") }
        return try jsonObject(run.output)
    }

    static func write(_ text: String, to name: String, in directory: URL) throws {
        try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    static func verify(_ url: String, table: String, in directory: URL) throws -> SluiceProcess.Outcome {
        try SluiceProcess.run(["verify", "--target", url, "--table", table], in: directory)
    }

    @Test func keyValuesHoldingTheSeparatorKeepBothRows() throws {
        let (url, namespace, server) = try Self.target()
        try withWorkingDirectory { directory in
            try Self.write("k1,k2,v\na:b,c,1\na,b:c,2\n", to: "kc.csv", in: directory)
            let result = try Self.load(["kc.csv", "--into", url, "--table", "kc", "--key", "k1,k2"], in: directory)
            #expect(result["records_inserted"] as? Int == 2 && result["records_skipped"] as? Int == 0)
            #expect(result["record_count"] as? Int == 2)
            let verified = try Self.verify(url, table: "kc", in: directory)
            #expect(verified.status == 0, "\(verified.output) \(verified.error)")
            let first = try server.cli("-n", "11", "GET", #"\#(namespace):kc:a\:b:c"#)
            let second = try server.cli("-n", "11", "GET", #"\#(namespace):kc:a:b\:c"#)
            #expect(first.contains(#""v":1"#) && second.contains(#""v":2"#), "\(first) \(second)")
        }
    }

    @Test func aTableNamedWithAColonDoesNotOverwriteAnother() throws {
        let (url, _, _) = try Self.target()
        try withWorkingDirectory { directory in
            var rows = "symbol,date,close\n"
            for day in 1...5 { rows += "AAPL,2024-01-0\(day),1\(day).00\nMSFT,2024-01-0\(day),2\(day).00\n" }
            try Self.write(rows, to: "rc.csv", in: directory)
            var aapl = "date,close\n"
            for day in 1...5 { aapl += "2024-01-0\(day),9\(day).00\n" }
            try Self.write(aapl, to: "aapl.csv", in: directory)
            let first = try Self.load(
                ["rc.csv", "--into", url, "--table", "rc", "--key", "symbol,date"],
                in: directory
            )
            #expect(first["records_inserted"] as? Int == 10)
            let second = try Self.load(
                ["aapl.csv", "--into", url, "--table", "rc:AAPL", "--key", "date"],
                in: directory
            )
            #expect(second["records_inserted"] as? Int == 5)
            let rc = try Self.verify(url, table: "rc", in: directory)
            #expect(rc.status == 0, "\(rc.output) \(rc.error)")
            let colon = try Self.verify(url, table: "rc:AAPL", in: directory)
            #expect(colon.status == 0, "\(colon.output) \(colon.error)")
        }
    }

    @Test func aTableFromBeforeEscapingIsUpgradedInPlace() throws {
        let (url, namespace, server) = try Self.target()
        try withWorkingDirectory { directory in
            try Self.write(
                "symbol,date,close\nAAPL,2024-01-02,1.00\nMSFT,2024-01-02,2.00\n",
                to: "p.csv",
                in: directory
            )
            _ = try Self.load(["p.csv", "--into", url, "--table", "old", "--key", "symbol,date"], in: directory)
            let versions = "{\(namespace):old}:_sluice:versions"
            try Self.forgetEscaping(server, versions: versions)
            #expect(!(try server.cli("-n", "11", "LINDEX", versions, "-1")).contains("redis.key_encoding"))

            try Self.write(
                "symbol,date,close\nAAPL,2024-01-02,1.00\nMSFT,2024-01-02,2.50\nBRK:B,2024-01-02,3.00\n",
                to: "p2.csv",
                in: directory
            )
            let upgraded = try Self.load(
                ["p2.csv", "--into", url, "--table", "old", "--key", "symbol,date"],
                in: directory
            )
            #expect(upgraded["records_inserted"] as? Int == 1 && upgraded["records_updated"] as? Int == 1)
            #expect(upgraded["records_skipped"] as? Int == 1)
            #expect(try server.cli("-n", "11", "LINDEX", versions, "-1").contains(#""redis.key_encoding":"escaped""#))
            #expect(try server.cli("-n", "11", "EXISTS", "\(namespace):old:AAPL:2024-01-02") == "1")
            #expect(try server.cli("-n", "11", "EXISTS", #"\#(namespace):old:BRK\:B:2024-01-02"#) == "1")
            let verified = try Self.verify(url, table: "old", in: directory)
            #expect(verified.status == 0, "\(verified.output) \(verified.error)")
        }
    }

    @Test func aTableFromBeforeEscapingWithASeparatorInAKeyIsRefused() throws {
        let (url, namespace, server) = try Self.target()
        try withWorkingDirectory { directory in
            try Self.write("k1,k2,v\na:b,c,1\n", to: "kc.csv", in: directory)
            _ = try Self.load(["kc.csv", "--into", url, "--table", "kc", "--key", "k1,k2"], in: directory)
            let versions = "{\(namespace):kc}:_sluice:versions"
            try Self.forgetEscaping(server, versions: versions)
            let before = try server.cli("-n", "11", "LLEN", versions)
            let refused = try SluiceProcess.run(
                ["load", "kc.csv", "--into", url, "--table", "kc", "--key", "k1,k2", "--strategy", "replace"],
                in: directory
            )
            #expect(refused.status != 0)
            let message = refused.error.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(!message.contains("\n"), "\(message)")
            #expect(
                message.contains(
                    "table 'kc' was written before Sluice escaped key separators, and 1 of its keys hold a separator "
                        + "in a value"
                ),
                "\(message)"
            )
            #expect(message.contains("flush its keys"), "\(message)")
            #expect(try server.cli("-n", "11", "LLEN", versions) == before)
        }
    }

    @Test func templatesThatCouldShareKeysAreRefused() throws {
        let (url, namespace, server) = try Self.target()
        try withWorkingDirectory { directory in
            try Self.write("symbol,date,close\nAAPL,2024-01-02,1.00\n", to: "p.csv", in: directory)
            let prefix = "px-\(namespace)"
            _ = try Self.load(
                [
                    "p.csv", "--into", url, "--table", "a", "--key", "symbol,date", "--key-template",
                    "\(prefix):{symbol}:{date}",
                ],
                in: directory
            )
            let refused = try SluiceProcess.run(
                [
                    "load", "p.csv", "--into", url, "--table", "b", "--key", "symbol,date", "--key-template",
                    "\(prefix):{key}",
                ],
                in: directory
            )
            #expect(refused.status != 0)
            #expect(
                refused.error.contains("which table 'a' (namespace '\(namespace)') may also make"),
                "\(refused.error)"
            )
            #expect(try server.cli("-n", "11", "EXISTS", "{\(namespace):b}:_sluice:versions") == "0")

            let adjacent = try SluiceProcess.run(
                [
                    "load", "p.csv", "--into", url, "--table", "c", "--key", "symbol,date", "--key-template",
                    "q{symbol}{date}",
                ],
                in: directory
            )
            #expect(adjacent.status != 0)
            #expect(adjacent.error.contains("{symbol} and {date} have nothing between them"), "\(adjacent.error)")

            let distinct = try SluiceProcess.run(
                [
                    "load", "p.csv", "--into", url, "--table", "d", "--key", "symbol,date", "--key-template",
                    "\(prefix)-d:{key}",
                ],
                in: directory
            )
            #expect(distinct.status == 0, "\(distinct.error)")
        }
    }

    /// Makes a table look as if it was written before escaping existed: its latest version loses
    /// `redis.key_encoding` (its keys are what such a version would have written when they hold no separator).
    static func forgetEscaping(_ server: RedisServer, versions: String) throws {
        let script = """
            local last = redis.call('LINDEX', KEYS[1], -1)
            local plain, count = string.gsub(last, ',"redis%.key_encoding":"escaped"', '')
            if count == 0 then plain, count = string.gsub(last, '"redis%.key_encoding":"escaped",?', '') end
            redis.call('LSET', KEYS[1], -1, plain)
            return count
            """
        let removed = try server.cli("-n", "11", "EVAL", script, "1", versions)
        guard removed == "1" else { throw CLITestError("the version did not record redis.key_encoding: \(removed)") }
    }
}
