import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX calls the harness needs: who we are, a free loopback port, directory ownership, signals.
enum SystemCalls {
    /// Whether this process runs as root (then the server tools must run as the `postgres` OS user).
    static var isRoot: Bool { geteuid() == 0 }

    /// A TCP port on 127.0.0.1 that nothing listens on right now: the kernel's pick for a socket bound to port 0.
    static func freeLoopbackPort() throws -> Int {
        #if os(Linux)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { throw PostgresServerError("cannot open a socket: errno \(errno)") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { throw PostgresServerError("cannot bind a socket to 127.0.0.1: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Makes a new private directory `PARENT/PREFIX-XXXXXX` and returns its path.
    static func makeTemporaryDirectory(in parent: String, prefix: String) throws -> URL {
        var template = Array("\(parent)/\(prefix)-XXXXXX".utf8CString)
        guard let created = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw PostgresServerError("cannot create a temporary directory in \(parent): errno \(errno)")
        }
        return URL(fileURLWithPath: String(cString: created), isDirectory: true)
    }

    /// Gives `path` to the `postgres` OS user (root only): the server refuses a data directory it does not own.
    static func giveToPostgresUser(_ path: String) throws {
        guard let entry = getpwnam("postgres") else {
            throw PostgresServerError(
                "running as root needs the 'postgres' OS user to run the server (the postgresql package creates it)"
            )
        }
        guard chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
            throw PostgresServerError("cannot give \(path) to the postgres user: errno \(errno)")
        }
    }

    /// Whether a process with this id exists (a zombie counts as gone only once reaped).
    static func processExists(_ pid: Int32) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }

    /// Sends `signal` to `pid`, ignoring a process that is already gone.
    static func send(_ signal: Int32, to pid: Int32) {
        _ = kill(pid, signal)
    }

    /// This process's id, for the watchdog that outlives a crash.
    static var processID: Int32 { getpid() }
}
