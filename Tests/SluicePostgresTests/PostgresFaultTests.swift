import Foundation
import Sluice
import SluicePostgres
import SluiceTesting
import Testing

/// Faults around a load: a reader on another connection sees the state before or the state after, never a partial
/// load; a wrong password fails at once, in one line.
@Suite("PostgreSQL faults during a load")
struct PostgresFaultTests {
    static let baseRows = 0..<4000

    // MARK: A concurrent reader

    /// The big load of each strategy (10 000 rows, sent in 16 KiB COPY chunks) over a 4 000-row keyed table, and
    /// what it must count.
    static func bigLoad(_ strategy: LoadingStrategy) -> (ids: Range<Int>, inserted: Int, updated: Int, deleted: Int) {
        switch strategy {
        case .append: return (4000..<14_000, 10_000, 0, 0)
        case .replace: return (2000..<12_000, 8000, 2000, 2000)
        default: return (2000..<12_000, 8000, 2000, 0)
        }
    }

    @Test(
        "a reader on another connection sees the table before or after a big load, never in between",
        arguments: [LoadingStrategy.append, .replace, .upsert]
    )
    func readerNeverSeesAPartialLoad(strategy: LoadingStrategy) async throws {
        let server = try PostgresServer.shared
        let database = try server.createDatabase(prefix: "reader_\(strategy.rawValue)")
        let application = applicationName("reader")
        let url = server.url(database: database, application: application)
        try await withChunkedLoader(url) { loader in
            let base = try await loader.load(Ticks.stream(ids: Self.baseRows), request: Ticks.request(.upsert))
            let before = try server.observe(Ticks.table, database: database)
            #expect(before.hasPrefix("4000|"))
            try server.psql("CREATE TABLE poll_stop (stop boolean)", database: database)

            async let observed = blocking {
                try server.psql(Self.pollerScript(application: application), database: database)
            }
            try await waitUntil("the reader polls") {
                try server.psql(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'DO%'",
                    database: database
                ) == "1"
            }
            let plan = Self.bigLoad(strategy)
            let outcome = await Self.outcome {
                try await loader.load(Ticks.stream(ids: plan.ids, revision: 1), request: Ticks.request(strategy))
            }
            try server.psql("INSERT INTO poll_stop VALUES (true)", database: database)
            let observations = try await Self.parse(observed)
            let result = try outcome.get()
            let after = try server.observe(Ticks.table, database: database)

            #expect(result.metrics.recordsInserted == plan.inserted)
            #expect(result.metrics.recordsUpdated == plan.updated)
            #expect(result.metrics.recordsDeleted == plan.deleted)
            #expect(result.version?.parentID == base.version?.id)
            #expect(try await loader.verify(table: Ticks.table).isValid)
            #expect(try await loader.versions(table: Ticks.table).count == 2)
            #expect(after.hasPrefix("\(4000 + plan.inserted - plan.deleted)|"))

            let states = Set(observations.map(\.state))
            #expect(states.isSubset(of: [before, after]), "observed \(observations)")
            #expect(states.contains(before) && states.contains(after), "observed \(observations)")
            #expect(observations.contains { $0.duringCopy }, "the reader never ran during the COPY: \(observations)")
            #expect(!states.contains { $0.hasPrefix("0|") })
        }
    }

    /// A `psql` script whose one `DO` block polls the table every 20 ms, each poll with a fresh snapshot, noting
    /// whether the loader's `COPY` was running, until the test adds a row to `poll_stop` after the load (a minute at
    /// most); then it prints each distinct state seen, whether a poll saw it during the COPY, and how often.
    static func pollerScript(application: String) -> String {
        let state = "(SELECT concat_ws('|', \(Ticks.observation)) FROM \"ticks\")"
        let copying = """
            EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = '\(application)' AND state = 'active'
            AND query LIKE 'COPY%')
            """
        return """
            CREATE TEMP TABLE observed (state text, copying boolean);
            DO $$
            DECLARE started timestamptz := clock_timestamp();
            BEGIN
              LOOP
                PERFORM pg_stat_clear_snapshot();
                INSERT INTO observed SELECT \(state), \(copying);
                EXIT WHEN EXISTS (SELECT 1 FROM poll_stop) OR clock_timestamp() > started + interval '1 minute';
                PERFORM pg_sleep(0.02);
              END LOOP;
              INSERT INTO observed SELECT \(state), false;
            END $$;
            SELECT state, bool_or(copying), count(*) FROM observed GROUP BY state ORDER BY min(ctid);
            """
    }

    static func outcome(_ body: () async throws -> LoadResult) async -> Result<LoadResult, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    struct Observation: CustomStringConvertible {
        var state: String
        var duringCopy: Bool
        var polls: Int
        var description: String { "\(state) (\(polls) polls\(duringCopy ? ", during the COPY" : ""))" }
    }

    static func parse(_ output: String) throws -> [Observation] {
        try output.split(separator: "\n").map { line in
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5, let polls = Int(fields[4]) else {
                throw FaultTestError("unexpected poller output: \(line)")
            }
            return Observation(state: fields[0...2].joined(separator: "|"), duringCopy: fields[3] == "t", polls: polls)
        }
    }

    // MARK: A wrong password

    // The pool would retry a refused login with backoff forever; the time limit catches that hang (no speed is
    // asserted: under a loaded CI machine the failure itself can take several seconds).
    @Test(
        "a wrong password fails at open in one line, without the password and without the pool's backoff",
        .timeLimit(.minutes(2))
    )
    func wrongPasswordFailsAtOpen() async throws {
        try await withPostgresServer(PostgresServer.Configuration(superuserPassword: "superuser-secret")) { server in
            try server.psql(
                "CREATE ROLE loader LOGIN PASSWORD 'right-horse-battery'; CREATE DATABASE market OWNER loader"
            )
            let wrong = server.url(database: "market", user: "loader", password: "wrong-staple-827")
            let error = await #expect(throws: SluiceError.self) {
                try await withLoader(wrong, factories: [PostgresLoader.factory]) { _ in }
            }
            let message = error?.message ?? ""
            #expect(message.hasPrefix("postgres://loader"), "\(message)")
            #expect(
                message.hasSuffix(#": password authentication failed for user "loader" (SQLSTATE 28P01)"#),
                "\(message)"
            )
            #expect(!message.contains("wrong-staple-827") && !message.contains("\n"), "\(message)")
            #expect(error?.code == .targetFailure)

            let right = server.url(database: "market", user: "loader", password: "right-horse-battery")
            try await withLoader(right, factories: [PostgresLoader.factory]) { loader in
                let result = try await loader.load(Ticks.stream(ids: 0..<10), request: Ticks.request(.upsert))
                #expect(result.metrics.recordsInserted == 10)
                #expect(try await loader.verify(table: Ticks.table).isValid)
            }
            #expect(try server.psql("SELECT count(*) FROM ticks", database: "market") == "10")
        }
    }
}
