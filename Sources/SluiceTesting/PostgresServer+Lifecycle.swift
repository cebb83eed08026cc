import Foundation

extension PostgresServer {
    /// How a throw-away cluster is set up.
    public struct Configuration: Sendable {
        /// The `postgres` superuser's password. `nil` (the default): loopback connections are trusted, so any
        /// password is accepted. Set: TCP connections need a password (scram-sha-256); the harness's own `psql`
        /// and ``url(database:user:password:)`` use this one.
        public var superuserPassword: String?
        /// Server settings (`-c name=value`) over the test defaults: `fsync=off`, `full_page_writes=off`,
        /// `max_wal_size=1GB`, `max_connections=300`. Commits stay synchronous (a killed server keeps them).
        public var settings: [String: String]
        /// The server's certificate and key. Set: the server runs with `ssl=on` (plain TCP connections are still
        /// accepted unless ``PostgresServer/requireTLS()`` says otherwise), and the harness's own `psql` and
        /// ``url(database:user:password:)`` use `sslmode=require`.
        public var tls: TestCertificates?

        /// A trusted cluster with the test defaults, unless told otherwise.
        public init(superuserPassword: String? = nil, settings: [String: String] = [:], tls: TestCertificates? = nil) {
            self.superuserPassword = superuserPassword
            self.settings = settings
            self.tls = tls
        }
    }

    /// Creates and starts a throw-away cluster of this process's own; ``discard()`` stops and deletes it (and
    /// process exit does, if nobody did). Prefer ``withPostgresServer(_:_:)``.
    public static func start(_ configuration: Configuration = Configuration()) throws -> PostgresServer {
        let cluster = try PostgresCluster.create(password: configuration.superuserPassword)
        ClusterReaper.track(cluster)
        do {
            var settings = configuration.settings
            if let tls = configuration.tls { settings.merge(try cluster.install(tls)) { given, _ in given } }
            let port = try startOnFreePort(cluster, settings: settings)
            return PostgresServer(
                host: "127.0.0.1",
                port: port,
                user: "postgres",
                password: configuration.superuserPassword,
                maintenanceDatabase: "postgres",
                query: configuration.tls == nil ? "sslmode=disable" : "sslmode=require",
                cluster: cluster,
                psqlPath: cluster.tool("psql"),
                settings: settings
            )
        } catch {
            cluster.remove()
            ClusterReaper.untrack(cluster)
            throw error
        }
    }

    /// Picks a free loopback port and starts there; another port if something took it in between.
    private static func startOnFreePort(_ cluster: PostgresCluster, settings: [String: String]) throws -> Int {
        var attempt = 1
        while true {
            let port = try SystemCalls.freeLoopbackPort()
            do {
                try cluster.start(port: port, settings: settings)
                return port
            } catch let error as PostgresServerError where attempt < 3 && error.log.contains("could not bind") {
                attempt += 1
            }
        }
    }

    /// Starts the server again after ``stop()`` or ``kill()``, on the same port, and waits until it accepts
    /// connections (after crash recovery, if it was killed).
    public func start() throws {
        let cluster = try ownCluster("start")
        guard !cluster.isRunning else { return }
        try cluster.start(port: port, settings: settings)
    }

    /// Stops the server cleanly (`pg_ctl stop -m fast`: open transactions roll back, clients are disconnected).
    public func stop() throws {
        try ownCluster("stop").stop(mode: "fast")
    }

    /// Aborts the server as a crash would (`pg_ctl stop -m immediate`: every server process quits at once, no
    /// shutdown checkpoint; the next ``start()`` runs crash recovery). Clients see their connections reset.
    public func kill() throws {
        try ownCluster("kill").stop(mode: "immediate")
    }

    /// Stops (fast) and starts the server again.
    public func restart() throws {
        try stop()
        try start()
    }

    /// Lets TCP clients in over TLS only (`hostssl` … `trust`, `hostnossl` … `reject` in `pg_hba.conf`) and
    /// reloads: a plain connection is then refused, so a connection that works is proof of TLS.
    public func requireTLS() throws {
        let file = try ownCluster("require TLS on").hbaFile
        let rules = """
            local all all trust
            hostssl all all 127.0.0.1/32 trust
            hostnossl all all 127.0.0.1/32 reject

            """
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(rules.utf8))
        try reload()
    }

    /// Makes the server re-read `pg_hba.conf` and its configuration files (`pg_ctl reload`).
    public func reload() throws {
        try ownCluster("reload").reload()
    }

    /// Whether the server of a throw-away cluster is running (an existing server counts as running).
    public var isRunning: Bool { cluster?.isRunning ?? true }

    /// The last `count` lines of the server log (empty for an existing server).
    public func logTail(_ count: Int = 20) -> String {
        cluster?.logTail(count) ?? ""
    }

    /// Stops the server and deletes its directory. Does nothing to an existing server.
    public func discard() {
        guard let cluster else { return }
        if (try? cluster.stop(mode: "fast")) == nil { ClusterReaper.shutDown(cluster) }
        cluster.remove()
        ClusterReaper.untrack(cluster)
    }

    func ownCluster(_ action: String) throws -> PostgresCluster {
        guard let cluster else {
            throw PostgresServerError("cannot \(action) the existing server of SLUICE_TEST_POSTGRES_URL")
        }
        return cluster
    }
}

/// Runs `body` with a throw-away PostgreSQL cluster of its own, then stops and deletes it, whether `body` returns
/// or throws. For tests that stop, kill or reconfigure the server; others share ``PostgresServer/shared``.
public func withPostgresServer<Result>(
    _ configuration: PostgresServer.Configuration = PostgresServer.Configuration(),
    _ body: (PostgresServer) async throws -> Result
) async throws -> Result {
    let server = try PostgresServer.start(configuration)
    defer { server.discard() }
    return try await body(server)
}
