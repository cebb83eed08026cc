import Foundation

/// A PostgreSQL cluster on disk in a temporary directory, and the server tools that create, start and stop it.
///
/// Layout: `DIR/data` (the cluster), `DIR/server.log`, and the server's Unix socket in `DIR` itself. When this
/// process runs as root, `DIR` belongs to the `postgres` OS user and every tool runs through `runuser`.
struct PostgresCluster: Sendable {
    /// `…/bin` holding `initdb`, `pg_ctl`, `postgres` and `psql`.
    let binDirectory: URL
    /// The temporary directory holding everything; removed by ``remove()``.
    let directory: URL
    /// Whether the tools run as the `postgres` OS user (this process is root).
    let runsAsPostgresUser: Bool

    var dataDirectory: URL { directory.appendingPathComponent("data", isDirectory: true) }
    var logFile: URL { directory.appendingPathComponent("server.log") }
    var pidFile: URL { dataDirectory.appendingPathComponent("postmaster.pid") }
    var hbaFile: URL { dataDirectory.appendingPathComponent("pg_hba.conf") }

    /// The path of one of the server's tools.
    func tool(_ name: String) -> String {
        binDirectory.appendingPathComponent(name).path
    }

    /// Creates the directory and runs `initdb` into it: superuser `postgres`, UTF-8, C locale; loopback TCP
    /// connections trusted, or needing `password` (scram-sha-256) when one is given.
    static func create(password: String?) throws -> PostgresCluster {
        let binDirectory = try PostgresBinaries.locate()
        let parent = FileManager.default.fileExists(atPath: "/tmp") ? "/tmp" : NSTemporaryDirectory()
        let directory = try SystemCalls.makeTemporaryDirectory(in: parent, prefix: "sluice-pg")
        let cluster = PostgresCluster(
            binDirectory: binDirectory,
            directory: directory,
            runsAsPostgresUser: SystemCalls.isRoot
        )
        do {
            if cluster.runsAsPostgresUser { try SystemCalls.giveToPostgresUser(directory.path) }
            try cluster.initialize(password: password)
            return cluster
        } catch {
            cluster.remove()
            throw error
        }
    }

    private func initialize(password: String?) throws {
        var arguments = [
            "-D", dataDirectory.path, "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync", "--auth-local=trust",
        ]
        var passwordFile: URL?
        if let password {
            let file = directory.appendingPathComponent("superuser-password")
            try Data(password.utf8).write(to: file)
            if runsAsPostgresUser { try SystemCalls.giveToPostgresUser(file.path) }
            arguments += ["--auth-host=scram-sha-256", "--pwfile=\(file.path)"]
            passwordFile = file
        } else {
            arguments += ["--auth-host=trust"]
        }
        defer { passwordFile.map { try? FileManager.default.removeItem(at: $0) } }
        let outcome = try command(tool("initdb"), arguments).run()
        guard outcome.status == 0 else {
            throw PostgresServerError(
                "initdb failed (exit \(outcome.status)) in \(directory.path)",
                log: outcome.tail()
            )
        }
    }

    /// Starts the server on 127.0.0.1:`port` and waits until it accepts connections.
    ///
    /// `fsync` and `full_page_writes` are off: a test cluster never outlives a crash of the machine, and loads run
    /// faster. Commits stay synchronous, so a server killed by a fault test keeps every transaction it committed.
    func start(port: Int, settings: [String: String]) throws {
        var options = [
            "listen_addresses": "127.0.0.1", "port": "\(port)", "unix_socket_directories": directory.path,
            "fsync": "off", "full_page_writes": "off", "max_wal_size": "1GB", "max_connections": "300",
        ]
        options.merge(settings) { _, given in given }
        let flags = options.sorted { $0.key < $1.key }.map { "-c \($0.key)=\($0.value)" }.joined(separator: " ")
        let outcome = try command(
            tool("pg_ctl"),
            ["-D", dataDirectory.path, "-l", logFile.path, "-w", "-t", "60", "-o", flags, "start"]
        ).run()
        guard outcome.status == 0 else {
            throw PostgresServerError(
                "pg_ctl start failed (exit \(outcome.status)) on 127.0.0.1:\(port)",
                log: logTail().isEmpty ? outcome.tail() : logTail()
            )
        }
    }

    /// Copies the server's certificate and key into the cluster's directory, readable by the server alone (as
    /// PostgreSQL demands of a key), and returns the settings that turn TLS on with them.
    func install(_ tls: TestCertificates) throws -> [String: String] {
        let certificate = directory.appendingPathComponent("server.crt")
        let key = directory.appendingPathComponent("server.key")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: tls.certificateFile), to: certificate)
        try FileManager.default.copyItem(at: URL(fileURLWithPath: tls.keyFile), to: key)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: key.path)
        if runsAsPostgresUser {
            try SystemCalls.giveToPostgresUser(certificate.path)
            try SystemCalls.giveToPostgresUser(key.path)
        }
        return ["ssl": "on", "ssl_cert_file": certificate.path, "ssl_key_file": key.path]
    }

    /// Stops the server with `pg_ctl stop -m MODE` (`fast`: roll back and disconnect clients, then shut down
    /// cleanly; `immediate`: abort every server process, as a crash would) and waits until it is down.
    func stop(mode: String) throws {
        guard isRunning else { return }
        let outcome = try command(tool("pg_ctl"), ["-D", dataDirectory.path, "-m", mode, "-w", "-t", "60", "stop"])
            .run()
        guard outcome.status == 0 else {
            throw PostgresServerError("pg_ctl stop -m \(mode) failed (exit \(outcome.status))", log: outcome.tail())
        }
    }

    /// Makes the server re-read `pg_hba.conf` and its settings.
    func reload() throws {
        let outcome = try command(tool("pg_ctl"), ["-D", dataDirectory.path, "reload"]).run()
        guard outcome.status == 0 else {
            throw PostgresServerError("pg_ctl reload failed (exit \(outcome.status))", log: outcome.tail())
        }
    }

    /// Whether a postmaster runs on this cluster (its pid file names a live process).
    var isRunning: Bool {
        postmasterPID.map(SystemCalls.processExists) ?? false
    }

    /// The postmaster's process id, from the first line of `postmaster.pid`.
    var postmasterPID: Int32? {
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first.flatMap { Int32($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// The last `count` lines of the server log.
    func logTail(_ count: Int = 20) -> String {
        guard let text = try? String(contentsOf: logFile, encoding: .utf8) else { return "" }
        return text.split(separator: "\n").suffix(count).joined(separator: "\n")
    }

    /// Deletes the directory (the server must be down).
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A server tool run in the cluster's directory, as `postgres` when we are root.
    private func command(_ executable: String, _ arguments: [String]) -> ShellCommand {
        ShellCommand(executable: executable, arguments: arguments, directory: directory)
            .runningAsPostgres(runsAsPostgresUser)
    }
}

/// Where the PostgreSQL server binaries are: `SLUICE_TEST_POSTGRES_BIN`, else the newest
/// `/usr/lib/postgresql/VERSION/bin` (Debian and Ubuntu keep them off `PATH`), else `/usr/local/pgsql/bin`.
enum PostgresBinaries {
    static func locate() throws -> URL {
        var candidates: [String] = []
        if let given = ProcessInfo.processInfo.environment["SLUICE_TEST_POSTGRES_BIN"], !given.isEmpty {
            candidates.append(given)
        }
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let newestFirst = versions.sorted { $0.compare($1, options: .numeric) == .orderedDescending }
        candidates += newestFirst.map { "\(root)/\($0)/bin" } + ["/usr/local/pgsql/bin"]
        for candidate in candidates
        where ["initdb", "pg_ctl", "postgres", "psql"].allSatisfy({
            FileManager.default.isExecutableFile(atPath: "\(candidate)/\($0)")
        }) {
            return URL(fileURLWithPath: candidate, isDirectory: true)
        }
        throw PostgresServerError(
            "no PostgreSQL server binaries (initdb, pg_ctl, postgres, psql) in \(candidates.joined(separator: ", ")): "
                + "install the postgresql package (scripts/install-system-deps.sh does)"
        )
    }
}
