import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes sure no test Redis server outlives the test process, as ``ClusterReaper`` does for PostgreSQL.
///
/// An `atexit` handler kills every server still tracked and deletes its directory; and each server gets a
/// watchdog shell that polls this process and, once it is gone (a crash, a signal), stops the server (TERM, then
/// KILL) and deletes the directory.
enum RedisReaper {
    private static let tracked = Mutex<(directories: [String: URL], registered: Bool)>(([:], false))

    /// Starts guarding the server whose directory (holding `redis.pid`) is `directory`.
    static func track(_ directory: URL) {
        let registerNow = tracked.withLock { state in
            state.directories[directory.path] = directory
            defer { state.registered = true }
            return !state.registered
        }
        if registerNow { atexit { RedisReaper.reapAll() } }
        startWatchdog(for: directory)
    }

    /// Stops guarding `directory` (after the server was stopped and the directory removed).
    static func untrack(_ directory: URL) {
        _ = tracked.withLock { $0.directories.removeValue(forKey: directory.path) }
    }

    private static func reapAll() {
        let directories = tracked.withLock { state in
            defer { state.directories.removeAll() }
            return Array(state.directories.values)
        }
        for directory in directories {
            shutDown(pidFile: directory.appendingPathComponent("redis.pid"))
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// The server's process id, from its pid file.
    static func pid(in pidFile: URL) -> Int32? {
        (try? String(contentsOf: pidFile, encoding: .utf8)).flatMap {
            Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// TERM, then KILL after `patience` seconds; returns once the process is gone.
    static func shutDown(pidFile: URL, patience: Double = 5) {
        for (signal, seconds) in [(SIGTERM, patience), (SIGKILL, 5.0)] {
            guard let pid = pid(in: pidFile), SystemCalls.processExists(pid) else { return }
            SystemCalls.send(signal, to: pid)
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline, SystemCalls.processExists(pid) { usleep(10_000) }
        }
    }

    private static func startWatchdog(for directory: URL) {
        let script = """
            trap '' INT HUP TERM QUIT
            while kill -0 \(SystemCalls.processID) 2>/dev/null && [ -d '\(directory.path)' ]; do sleep 1; done
            pidfile='\(directory.appendingPathComponent("redis.pid").path)'
            if [ -f "$pidfile" ]; then
              pid=$(head -n 1 "$pidfile")
              for signal in TERM KILL; do
                kill -s $signal "$pid" 2>/dev/null || break
                for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
              done
            fi
            rm -rf '\(directory.path)'
            """
        _ = try? ShellCommand(executable: "/bin/sh", arguments: ["-c", "(\n\(script)\n) >/dev/null 2>&1 &"]).run()
    }
}
