import Foundation

/// One run of an external tool (`initdb`, `pg_ctl`, `psql`), optionally as the `postgres` OS user.
///
/// Standard output and error go to temporary files rather than pipes, and the child inherits no other descriptor
/// of ours (see ``Spawn``): a server the tool starts in the background holds nothing this process waits on.
struct ShellCommand {
    /// What a finished run returned.
    struct Outcome {
        var status: Int32
        var output: String
        var error: String

        /// The last `count` lines of standard error, else of standard output.
        func tail(_ count: Int = 20) -> String {
            let text = error.isEmpty ? output : error
            return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
        }
    }

    var executable: String
    var arguments: [String]
    var environment: [String: String] = ShellCommand.cleanEnvironment
    var directory: URL? = nil
    /// A file to read standard input from; `/dev/null` when `nil`.
    var input: URL? = nil

    /// Wraps the command in `runuser -u postgres --` when `asPostgres` is true.
    func runningAsPostgres(_ asPostgres: Bool) -> ShellCommand {
        guard asPostgres else { return self }
        var wrapped = self
        wrapped.executable = ShellCommand.runuserPath
        wrapped.arguments = ["-u", "postgres", "--", executable] + arguments
        return wrapped
    }

    /// Runs the tool and waits for it to exit.
    func run() throws -> Outcome {
        let output = try TemporaryFile()
        let error = try TemporaryFile()
        defer {
            output.remove()
            error.remove()
        }
        let status = try Spawn.run(
            executable,
            arguments: arguments,
            environment: environment,
            directory: directory?.path,
            input: input?.path ?? "/dev/null",
            output: output.url.path,
            error: error.url.path
        )
        return Outcome(status: status, output: output.contents(), error: error.contents())
    }

    /// The process environment without `PG*` variables (a developer's `PGHOST` or `PGDATA` must not redirect a
    /// test's tools) and with the C locale.
    static var cleanEnvironment: [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        environment["LC_ALL"] = "C"
        environment["LANG"] = "C"
        return environment
    }

    /// `runuser` (util-linux), which root uses to run the server tools as `postgres`.
    static var runuserPath: String {
        ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        } ?? "runuser"
    }
}

/// An empty file in the temporary directory, removed by ``remove()``.
struct TemporaryFile {
    let url: URL

    init(contents: String = "") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-command-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: url.path, contents: Data(contents.utf8)) else {
            throw PostgresServerError("cannot create the temporary file \(url.path)")
        }
    }

    func contents() -> String {
        (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
