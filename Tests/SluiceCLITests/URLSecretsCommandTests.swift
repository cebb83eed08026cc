import Foundation
import SluiceTesting
import Testing

/// Passwords holding unencoded `?`, `#`, `/` and `@` (and a percent-encoded one) in target URLs given to the built
/// binary, against a real PostgreSQL and a real Redis server: loads succeed, a wrong password fails in one line,
/// and no password shows in standard output, standard error (text and JSON logs at debug level), `--json`, the
/// metrics file, nor in `sluice run`'s validation, dry run and run of a pipeline naming the URL (SECURITY.md,
/// promise 4). `scripts/check-log-secrets.sh` finds every `s3cr3t…` literal here and greps the test run for it.
@Suite("no password shown, whatever the URL looks like (the built binary)", .timeLimit(.minutes(5)))
struct URLSecretsCommandTests {
    /// Written into URLs as they are.
    static let postgresPasswords = [
        "s3cr3tQ?XYZ-pgcli", "s3cr3tH#XYZ-pgcli", "s3cr3tS/XYZ-pgcli", "s3cr3tA@XYZ-pgcli", "s3cr3tM?X#Y/Z@W:V-pgcli",
    ]
    /// Written percent-encoded; the role's password is ``postgresDecoded``.
    static let postgresEncoded = "s3cr3tP%3FX%23Y%2FZ%40W-pgcli"
    static let postgresDecoded = "s3cr3tP?X#Y/Z@W-pgcli"

    static let redisPasswords = ["s3cr3tQ?XYZ-rscli", "s3cr3tH#XYZ-rscli", "s3cr3tS/XYZ-rscli", "s3cr3tA@XYZ-rscli"]
    static let redisDefaultPassword = "s3cr3tM?X#Y/Z@W:V-rscli"

    /// What the runs printed and wrote, and the checks every run gets.
    struct Transcript {
        var text = ""
        let secrets: [String]

        /// Runs `sluice ARGUMENTS` in `directory`, keeps all it printed, and expects it to succeed or fail (in one
        /// error line) as `succeeds` says.
        @discardableResult
        mutating func run(_ arguments: [String], in directory: URL, succeeds: Bool) throws -> SluiceProcess.Outcome {
            let outcome = try SluiceProcess.run(arguments, in: directory)
            text += outcome.output + outcome.error
            let shown = Self.masked(outcome.output + outcome.error, secrets)
            #expect((outcome.status == 0) == succeeds, "\(arguments.prefix(2)): \(shown.suffix(1500))")
            if !succeeds {
                let lines = outcome.error.split(separator: "\n").filter { !$0.hasPrefix("{") }
                #expect(lines.count == 1, "\(shown.suffix(1500))")
            }
            return outcome
        }

        /// Adds a file the runs wrote.
        mutating func add(_ file: URL) throws { text += try String(contentsOf: file, encoding: .utf8) }

        /// Expects no secret in anything kept (each named only by its position, never shown).
        func expectNoSecret() {
            for (index, secret) in secrets.enumerated() {
                #expect(!text.contains(secret), "password \(index) appears in what sluice printed or wrote")
            }
        }

        /// `text` with every secret replaced, for failure messages (which the test run prints).
        static func masked(_ text: String, _ secrets: [String]) -> String {
            secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "<password>") }
        }
    }

    /// The load, text and JSON, at debug level with a metrics file; a no-op rerun; a wrong password.
    private func loads(_ url: String, wrong: String, in directory: URL, _ transcript: inout Transcript) throws {
        try transcript.run(
            [
                "load", "p.csv", "--into", url, "--table", "prices", "--key", "symbol,date", "--json",
                "--log-level", "debug", "--log-format", "json", "--metrics-file", "m.prom",
            ],
            in: directory,
            succeeds: true
        )
        try transcript.add(directory.appendingPathComponent("m.prom"))
        try transcript.run(
            ["load", "p.csv", "--into", url, "--table", "prices", "--key", "symbol,date", "--log-level", "debug"],
            in: directory,
            succeeds: true
        )
        try transcript.run(
            ["load", "p.csv", "--into", wrong, "--table", "prices", "--key", "symbol,date", "--json"],
            in: directory,
            succeeds: false
        )
    }

    /// `sluice run` of a pipeline naming `url`: validation of a bad option (its one line saying `named`), the dry
    /// run (text and JSON) and the run.
    private func pipeline(
        _ url: String,
        badOption: String,
        named: String,
        in directory: URL,
        _ transcript: inout Transcript
    ) throws {
        let separator = url.contains("?sslmode") ? "&" : "?"
        let pipeline = { (target: String) in
            """
            name: secrets
            targets:
              db: '\(target)'
            jobs:
              - {name: prices, target: db, files: p.csv, table: run_prices, key: [symbol, date], strategy: upsert}
            """
        }
        try Data(pipeline(url + separator + badOption).utf8).write(to: directory.appendingPathComponent("bad.yml"))
        try Data(pipeline(url).utf8).write(to: directory.appendingPathComponent("good.yml"))
        let invalid = try transcript.run(["run", "bad.yml", "--dry-run"], in: directory, succeeds: false)
        #expect(invalid.error.contains(named), "\(Transcript.masked(invalid.error, transcript.secrets))")
        try transcript.run(["run", "good.yml", "--dry-run"], in: directory, succeeds: true)
        try transcript.run(["run", "good.yml", "--dry-run", "--json"], in: directory, succeeds: true)
        try transcript.run(
            ["run", "good.yml", "--json", "--log-level", "debug", "--log-format", "json", "--metrics-file", "r.prom"],
            in: directory,
            succeeds: true
        )
        try transcript.add(directory.appendingPathComponent("r.prom"))
    }

    @Test func postgresPasswordsWithReservedCharactersConnectAndNeverShow() async throws {
        let superuser = "superuser-secret-4410"
        let written = Self.postgresPasswords + [Self.postgresEncoded]
        let actual = Self.postgresPasswords + [Self.postgresDecoded]
        try await withPostgresServer(.init(superuserPassword: superuser)) { server in
            for (index, password) in actual.enumerated() {
                try server.psql("CREATE ROLE relu\(index) LOGIN PASSWORD '\(password)'; CREATE DATABASE market\(index)")
                try server.psql("ALTER DATABASE market\(index) OWNER TO relu\(index)")
            }
            try withWorkingDirectory { directory in
                try SluiceProcess.run(["sample", "ohlcv", "--rows", "60", "--output", "p.csv"], in: directory)
                var transcript = Transcript(secrets: [superuser] + written + actual)
                for (index, password) in written.enumerated() {
                    let address = "\(server.host):\(server.port)/market\(index)?sslmode=disable"
                    let url = "postgres://relu\(index):\(password)@\(address)"
                    let wrong = "postgres://relu\(index):\(password)W@\(address)"
                    try loads(url, wrong: wrong, in: directory, &transcript)
                    let rows = try server.psql("SELECT count(*) FROM prices", database: "market\(index)")
                    #expect(rows == "60", "database \(index)")
                    try pipeline(
                        url,
                        badOption: "sslmode=sometimes",
                        named: "relu\(index):***@127.0.0.1",
                        in: directory,
                        &transcript
                    )
                }
                #expect(transcript.text.contains("postgres://relu0:***@127.0.0.1"))
                #expect(transcript.text.contains(#"target="postgres://127.0.0.1:"#))
                transcript.expectNoSecret()
            }
        }
    }

    @Test func redisPasswordsWithReservedCharactersConnectAndNeverShow() async throws {
        let users = Self.redisPasswords.enumerated().map {
            RedisServer.Configuration.User(name: "relu\($0)", password: $1)
        }
        try await withRedisServer(.init(password: Self.redisDefaultPassword, users: users)) { server in
            try withWorkingDirectory { directory in
                try SluiceProcess.run(["sample", "ohlcv", "--rows", "40", "--output", "p.csv"], in: directory)
                var transcript = Transcript(secrets: Self.redisPasswords + [Self.redisDefaultPassword])
                let logins = [("", Self.redisDefaultPassword)] + users.map { ($0.name, $0.password) }
                for (index, (user, password)) in logins.enumerated() {
                    let url = "redis://\(user):\(password)@\(server.host):\(server.port)/\(index + 1)"
                    let wrong = "redis://\(user):\(password)W@\(server.host):\(server.port)/\(index + 1)"
                    try loads(url, wrong: wrong, in: directory, &transcript)
                    try pipeline(url, badOption: "verify=sometimes", named: "verify=", in: directory, &transcript)
                    try transcript.run(["cache", "stats", "--target", url, "--json"], in: directory, succeeds: true)
                    // Sluice's own options beside the password, in the URL and as flags (added to the URL).
                    let namespaced = url + "?namespace=ns\(index)&ttl=300"
                    _ = try transcript.run(
                        ["load", "p.csv", "--into", namespaced, "--table", "prices", "--key", "symbol,date", "--json"],
                        in: directory,
                        succeeds: true
                    )
                    _ = try transcript.run(
                        [
                            "load", "p.csv", "--into", url, "--namespace", "flag\(index)", "--table", "prices", "--key",
                            "symbol,date", "--ttl", "60",
                        ],
                        in: directory,
                        succeeds: true
                    )
                    #expect(
                        try server.cli("-n", "\(index + 1)", "EXISTS", "{ns\(index):prices}:_sluice:versions") == "1"
                    )
                    #expect(
                        try server.cli("-n", "\(index + 1)", "EXISTS", "{flag\(index):prices}:_sluice:versions") == "1"
                    )
                }
                #expect(transcript.text.contains("redis://relu1:***@127.0.0.1"))
                #expect(transcript.text.contains(#"target="redis://127.0.0.1:"#))
                transcript.expectNoSecret()
            }
        }
    }
}
