import Foundation
import Synchronization

/// A PostgreSQL server for integration tests: a throw-away cluster, or an existing server.
///
/// ``shared`` is the server most tests use: a cluster this test process creates on first use (`initdb` into a
/// temporary directory, started on a free loopback port with durability off) and stops and deletes when the
/// process exits, or the server named by `SLUICE_TEST_POSTGRES_URL` when that is set. Each suite (or test) takes
/// its own database from it:
///
/// ```swift
/// let server = try PostgresServer.shared
/// let database = try server.createDatabase(prefix: "strategies")
/// try await withLoader(server.url(database: database), factories: [PostgresLoader.factory]) { loader in … }
/// #expect(try server.psql("SELECT count(*) FROM prices", database: database) == "3")
/// ```
///
/// Fault tests that stop, kill or reconfigure a server use one of their own,
/// ``withPostgresServer(_:_:)``, so that they never disturb tests running beside them. A server that cannot
/// start throws a ``PostgresServerError`` carrying the last lines of its log: the tests fail, they never skip.
public final class PostgresServer: Sendable {
    /// The host clients connect to (`127.0.0.1` for a throw-away cluster).
    public let host: String
    /// The TCP port the server listens on.
    public let port: Int
    /// The superuser (or, for an existing server, the user of `SLUICE_TEST_POSTGRES_URL`).
    public let user: String
    /// The user's password, if connections need one.
    let password: String?
    /// The database `psql` uses when none is named.
    let maintenanceDatabase: String
    /// The URL's query (`sslmode=…`) kept for every database's URL.
    let query: String
    /// The cluster on disk, or `nil` for an existing server.
    let cluster: PostgresCluster?
    /// The `psql` this harness runs.
    let psqlPath: String
    /// Server settings over the test defaults, given again at every start.
    let settings: [String: String]
    private let databases = Atomic<Int>(0)

    init(
        host: String,
        port: Int,
        user: String,
        password: String?,
        maintenanceDatabase: String,
        query: String,
        cluster: PostgresCluster?,
        psqlPath: String,
        settings: [String: String] = [:]
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.maintenanceDatabase = maintenanceDatabase
        self.query = query
        self.cluster = cluster
        self.psqlPath = psqlPath
        self.settings = settings
    }

    /// Whether this is an existing server (`SLUICE_TEST_POSTGRES_URL`) rather than a cluster this process owns.
    public var isExternal: Bool { cluster == nil }

    /// The data directory of a throw-away cluster (`nil` for an existing server).
    public var dataDirectory: URL? { cluster?.dataDirectory }

    /// `pg_hba.conf` of a throw-away cluster: edit it and call ``reload()`` to change who may connect how.
    public var hbaFile: URL? { cluster?.hbaFile }

    /// The URL of `database` on this server: `postgres://USER[:PASSWORD]@127.0.0.1:PORT/DATABASE?sslmode=disable`.
    ///
    /// Pass `user` (and `password`) to connect as another role; by default the harness's own user and password.
    public func url(database: String, user: String? = nil, password: String? = nil) -> String {
        var components = URLComponents()
        components.scheme = "postgres"
        components.user = user ?? self.user
        components.password = user == nil ? (password ?? self.password) : password
        components.host = host
        components.port = port
        components.path = "/" + database
        components.percentEncodedQuery = query
        return components.string ?? "postgres://\(host):\(port)/\(database)"
    }

    /// Runs `sql` through `psql` on `database` and returns what it prints: unaligned rows, `|` between columns,
    /// one row a line, no header and no trailing newline.
    ///
    /// The SQL is a script: several statements and `psql` meta-commands (`\copy`) are allowed; the first error
    /// stops it and throws, with `psql`'s message. It connects as the harness's user, or as `user` with
    /// `password` when a user is given.
    @discardableResult
    public func psql(
        _ sql: String,
        database: String? = nil,
        user: String? = nil,
        password: String? = nil
    ) throws -> String {
        let script = try TemporaryFile(contents: sql)
        defer { script.remove() }
        let database = database ?? maintenanceDatabase
        var environment = clientEnvironment
        environment["PGPASSWORD"] = user == nil ? self.password : password
        let outcome = try ShellCommand(
            executable: psqlPath,
            arguments: [
                "-X", "-q", "-w", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", host, "-p", "\(port)",
                "-U", user ?? self.user, "-d", database, "-f", script.url.path,
            ],
            environment: environment
        ).run()
        guard outcome.status == 0 else {
            throw PostgresServerError(
                "psql on database \(database) failed (exit \(outcome.status))",
                log: outcome.tail()
            )
        }
        var output = Substring(outcome.output)
        while output.last == "\n" { output = output.dropLast() }
        return String(output)
    }

    /// Creates a database with a fresh name `PREFIX_N_XXXXXX` and returns the name.
    ///
    /// One per suite or per test keeps tests that run in parallel apart.
    public func createDatabase(prefix: String = "sluice") throws -> String {
        let cleanPrefix = String(prefix.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.prefix(40))
        let number = databases.add(1, ordering: .relaxed).newValue
        let suffix = UUID().uuidString.lowercased().prefix(6)
        let name = "\(cleanPrefix)_\(number)_\(suffix)"
        try createDatabase(named: name)
        return name
    }

    /// Creates the database `name` (an error if it exists).
    public func createDatabase(named name: String) throws {
        try psql("CREATE DATABASE \(Self.quoted(name))")
    }

    /// Drops `name` if it exists, disconnecting its clients first.
    ///
    /// Use it on a server of your own (``withPostgresServer(_:_:)``), not on ``shared`` while other tests run:
    /// `DROP DATABASE` waits until every session of the cluster acknowledges it, and a session in the middle of
    /// another test's `COPY` acknowledges only when its client sends more data. A blocked test thread can then
    /// stall that client for good. Databases of a throw-away cluster go away with it.
    public func dropDatabase(_ name: String) throws {
        try psql("DROP DATABASE IF EXISTS \(Self.quoted(name)) WITH (FORCE)")
    }

    /// Ends every client connection to `database` (`pg_terminate_backend`): a dropped connection, for fault tests.
    /// Returns how many were ended.
    @discardableResult
    public func terminateConnections(database: String) throws -> Int {
        let ended = try psql(
            """
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname = '\(database.replacingOccurrences(of: "'", with: "''"))' AND pid <> pg_backend_pid()
            """
        )
        return Int(ended) ?? 0
    }

    /// `name` as a double-quoted SQL identifier.
    public static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The environment `psql` runs with: no stray `PG*` variables, a connect timeout, the URL's `sslmode`.
    var clientEnvironment: [String: String] {
        var environment = ShellCommand.cleanEnvironment
        environment["PGCONNECT_TIMEOUT"] = "10"
        environment["PGAPPNAME"] = "sluice-test-harness"
        if let sslMode = URLComponents(string: "x:?" + query)?.queryItems?.first(where: { $0.name == "sslmode" }) {
            environment["PGSSLMODE"] = sslMode.value
        }
        return environment
    }
}
