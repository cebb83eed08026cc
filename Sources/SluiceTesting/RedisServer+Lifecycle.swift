import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension RedisServer {
    /// The server tests share: started on first use, stopped and deleted when the process exits. Throws (every
    /// time it is asked) when it could not start, with the server's log.
    public static var shared: RedisServer {
        get throws { try sharedOutcome.get() }
    }

    private static let sharedOutcome: Result<RedisServer, RedisServerError> = {
        do {
            return .success(try start())
        } catch let error as RedisServerError {
            return .failure(error)
        } catch {
            return .failure(RedisServerError("cannot start the test Redis server: \(error)"))
        }
    }()

    /// Starts a server of this process's own on a free loopback port; ``discard()`` stops it and deletes its
    /// directory (process exit does, if nobody did). Prefer ``withRedisServer(_:_:)``.
    public static func start(_ configuration: Configuration = Configuration(), port: Int? = nil) throws -> RedisServer {
        let directory = try SystemCalls.makeTemporaryDirectory(
            in: FileManager.default.temporaryDirectory.path,
            prefix: "sluice-redis"
        )
        RedisReaper.track(directory)
        var attempt = 1
        while true {
            let server = RedisServer(
                port: try port ?? SystemCalls.freeLoopbackPort(),
                tlsPort: configuration.tls == nil ? nil : try SystemCalls.freeLoopbackPort(),
                directory: directory,
                configuration: configuration
            )
            do {
                try server.writeConfiguration()
                try server.start()
                return server
            } catch let error as RedisServerError where port == nil && attempt < 3 && error.log.contains("in use") {
                attempt += 1
            } catch {
                server.discard()
                throw error
            }
        }
    }

    /// Starts the server (again, after ``stop()`` or ``kill()``) on its port and waits until it answers `PING`.
    public func start() throws {
        guard !isRunning else { return }
        try? FileManager.default.removeItem(at: pidFile)
        let outcome = try ShellCommand(
            executable: Self.tool("redis-server"),
            arguments: [
                configurationFile.path, "--port", "\(port)", "--bind", host, "--save", "",
                // Settings may turn the append-only file on (to survive a kill); command-line options would win.
                "--appendonly", configuration.settings.contains { $0.hasPrefix("appendonly yes") } ? "yes" : "no",
                "--dir", directory.path, "--daemonize", "yes", "--pidfile", pidFile.path, "--logfile", logFile.path,
            ]
        ).run()
        guard outcome.status == 0 else {
            throw RedisServerError("redis-server did not start (exit \(outcome.status))", log: outcome.tail())
        }
        try waitUntilReady()
    }

    /// Stops the server (SIGTERM: it closes its clients; SIGKILL if it takes over 5 s).
    public func stop() {
        RedisReaper.shutDown(pidFile: pidFile)
    }

    /// Kills the server (SIGKILL), as a crash would: clients see their connections reset.
    public func kill() {
        RedisReaper.shutDown(pidFile: pidFile, patience: 0)
    }

    /// Stops and starts the server again, on the same port.
    public func restart() throws {
        stop()
        try start()
    }

    /// Whether the server process is alive.
    public var isRunning: Bool {
        RedisReaper.pid(in: pidFile).map(SystemCalls.processExists) ?? false
    }

    /// Stops the server and deletes its directory.
    public func discard() {
        stop()
        try? FileManager.default.removeItem(at: directory)
        RedisReaper.untrack(directory)
    }

    /// `redis.conf` with what must not show in `ps`: passwords and users, then the extra settings.
    private func writeConfiguration() throws {
        var lines = configuration.settings
        if let password = configuration.password { lines.append("requirepass \(Self.quoted(password))") }
        for user in configuration.users {
            lines.append("user \(user.name) on >\(user.password) \(user.rules)")
        }
        if let tls = configuration.tls, let tlsPort {
            lines += [
                "tls-port \(tlsPort)", "tls-cert-file \(tls.certificateFile)", "tls-key-file \(tls.keyFile)",
                "tls-ca-cert-file \(tls.certificateAuthorityFile)", "tls-auth-clients no",
            ]
        }
        let text = lines.joined(separator: "\n") + "\n"
        guard
            FileManager.default.createFile(
                atPath: configurationFile.path,
                contents: Data(text.utf8),
                attributes: [.posixPermissions: 0o600]
            )
        else { throw RedisServerError("cannot write \(configurationFile.path)") }
    }

    /// Polls `PING` for up to 30 s (a loaded CI machine has needed more than 10); an answer (`PONG`, or `NOAUTH`
    /// with a password) means ready.
    private func waitUntilReady() throws {
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let outcome = try ShellCommand(
                executable: Self.tool("redis-cli"),
                arguments: ["-h", host, "-p", "\(port)", "PING"]
            ).run()
            if outcome.output.contains("PONG") || outcome.output.contains("NOAUTH") { return }
            if let pid = RedisReaper.pid(in: pidFile), !SystemCalls.processExists(pid) { break }
            usleep(50_000)
        }
        throw RedisServerError("redis-server on port \(port) did not answer PING", log: logTail())
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

/// Runs `body` with a Redis server of its own, then stops it and deletes its directory, whether `body` returns or
/// throws. For tests that kill, restart or configure the server; others share ``RedisServer/shared``.
public func withRedisServer<Result>(
    _ configuration: RedisServer.Configuration = RedisServer.Configuration(),
    _ body: (RedisServer) async throws -> Result
) async throws -> Result {
    let server = try await offThePool { try RedisServer.start(configuration) }
    do {
        let result = try await body(server)
        try? await offThePool { server.discard() }
        return result
    } catch {
        try? await offThePool { server.discard() }
        throw error
    }
}
