import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes sure no test cluster outlives the test process.
///
/// Two guards: an `atexit` handler stops every cluster still tracked and deletes its directory when the process
/// exits normally; and each cluster gets a watchdog shell that polls this process and, once it is gone (a crash,
/// a signal, `exit` skipped), shuts the server down and deletes the directory. The watchdog ignores the
/// terminal's interrupt, so Ctrl-C on `swift test` cleans up as well.
enum ClusterReaper {
    private static let tracked = Mutex<(clusters: [String: PostgresCluster], registered: Bool)>(([:], false))

    /// Starts guarding `cluster` (after it was created).
    static func track(_ cluster: PostgresCluster) {
        let registerNow = tracked.withLock { state in
            state.clusters[cluster.directory.path] = cluster
            defer { state.registered = true }
            return !state.registered
        }
        if registerNow { atexit { ClusterReaper.reapAll() } }
        startWatchdog(for: cluster)
    }

    /// Stops guarding `cluster` (after it was stopped and removed).
    static func untrack(_ cluster: PostgresCluster) {
        _ = tracked.withLock { $0.clusters.removeValue(forKey: cluster.directory.path) }
    }

    /// Stops every tracked server by signal (no subprocesses while the process exits) and deletes its directory.
    private static func reapAll() {
        let clusters = tracked.withLock { state in
            defer { state.clusters.removeAll() }
            return Array(state.clusters.values)
        }
        for cluster in clusters {
            shutDown(cluster)
            cluster.remove()
        }
    }

    /// Fast shutdown (SIGINT, what `pg_ctl stop -m fast` sends); immediate (SIGQUIT) if that takes over 10 s;
    /// SIGKILL as the last resort.
    static func shutDown(_ cluster: PostgresCluster) {
        for (signal, seconds) in [(SIGINT, 10.0), (SIGQUIT, 5.0), (SIGKILL, 2.0)] {
            guard let pid = cluster.postmasterPID, SystemCalls.processExists(pid) else { return }
            SystemCalls.send(signal, to: pid)
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline, SystemCalls.processExists(pid),
                FileManager.default.fileExists(atPath: cluster.pidFile.path)
            {
                usleep(20_000)
            }
        }
    }

    /// A detached shell that waits for this process to end, then stops the server and removes the directory.
    private static func startWatchdog(for cluster: PostgresCluster) {
        let directory = cluster.directory.path
        let script = """
            trap '' INT HUP TERM QUIT
            while kill -0 \(SystemCalls.processID) 2>/dev/null && [ -d '\(directory)' ]; do sleep 1; done
            pidfile='\(cluster.pidFile.path)'
            if [ -f "$pidfile" ]; then
              pid=$(head -n 1 "$pidfile")
              for signal in INT QUIT KILL; do
                kill -s $signal "$pid" 2>/dev/null || break
                for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
              done
            fi
            rm -rf '\(directory)'
            """
        // Started in the background by a shell that exits at once: the watchdog belongs to init, not to us.
        _ = try? ShellCommand(executable: "/bin/sh", arguments: ["-c", "(\n\(script)\n) >/dev/null 2>&1 &"]).run()
    }
}
