import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension PostgresServer {
    /// Kills the server as the kernel's OOM killer or a power cut would: SIGKILL to the postmaster and every process
    /// it started, at once, with no chance to clean up (unlike ``kill()``, `pg_ctl stop -m immediate`, which lets
    /// the postmaster tell its children to quit). Returns once they are all gone; ``start()`` then runs crash
    /// recovery on the same data directory and port.
    public func crash() throws {
        let cluster = try ownCluster("crash")
        guard let postmaster = cluster.postmasterPID, SystemCalls.processExists(postmaster) else { return }
        let children = Self.children(of: postmaster)
        SystemCalls.send(SIGKILL, to: postmaster)
        for child in children { SystemCalls.send(SIGKILL, to: child) }
        let deadline = ContinuousClock.now + .seconds(30)
        while ([postmaster] + children).contains(where: SystemCalls.processExists) {
            guard ContinuousClock.now < deadline else {
                throw PostgresServerError("the killed server's processes did not go away within 30 s")
            }
            usleep(10_000)
        }
    }

    /// The processes whose parent is `parent`, from `/proc/PID/stat` (the fourth field).
    static func children(of parent: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            // `PID (COMMAND) STATE PPID …`: the command may hold spaces and parentheses, so split after the last ')'.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == parent ? pid : nil
        }
    }
}
