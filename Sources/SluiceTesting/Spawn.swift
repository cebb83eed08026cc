import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts a process with `posix_spawn` and waits for it with `waitpid`.
///
/// Not Foundation's `Process`: on Linux it learns that a child exited when a socket the child inherited closes,
/// and `pg_ctl start` leaves the server running with that socket open, so `waitUntilExit()` would wait for the
/// server to stop. Here the child inherits only its three standard descriptors (every other is closed in the
/// child), and the exit is read from `waitpid` directly.
enum Spawn {
    /// Runs `executable` with standard input, output and error redirected to the given paths; returns its exit
    /// status (128 + the signal number if a signal ended it).
    static func run(
        _ executable: String,
        arguments: [String],
        environment: [String: String],
        directory: String?,
        input: String,
        output: String,
        error: String
    ) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, error, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        try FileActions.closeFrom(&actions, 3)
        if let directory { try FileActions.changeDirectory(&actions, directory) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        #if canImport(Darwin)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_CLOEXEC_DEFAULT))
        #endif

        let argv = [executable] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        let pid = try withCStrings(argv) { argv in
            try withCStrings(envp) { envp in
                var pid = pid_t()
                let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
                guard result == 0 else {
                    throw PostgresServerError("cannot run \(executable): \(String(cString: strerror(result)))")
                }
                return pid
            }
        }
        return wait(for: pid)
    }

    /// Waits for `pid` to exit (retrying on `EINTR`) and decodes its status.
    private static func wait(for pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { return -1 }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }

    /// Calls `body` with a NULL-terminated C array of `strings`.
    private static func withCStrings<Result>(
        _ strings: [String],
        _ body: ([UnsafeMutablePointer<CChar>?]) throws -> Result
    ) rethrows -> Result {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        return try body(pointers)
    }
}

/// The glibc file actions the Swift module does not import (they sit behind `_GNU_SOURCE`), looked up at run time.
private enum FileActions {
    typealias Actions = UnsafeMutablePointer<posix_spawn_file_actions_t>
    typealias CloseFrom = @convention(c) (Actions, Int32) -> Int32
    typealias ChangeDirectory = @convention(c) (Actions, UnsafePointer<CChar>) -> Int32

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34): close every descriptor from `lowest` up.
    static func closeFrom(_ actions: Actions, _ lowest: Int32) throws {
        #if os(Linux)
        let function: CloseFrom = try symbol("posix_spawn_file_actions_addclosefrom_np")
        _ = function(actions, lowest)
        #endif
    }

    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29, macOS 10.15): the child's working directory.
    static func changeDirectory(_ actions: Actions, _ path: String) throws {
        let function: ChangeDirectory = try symbol("posix_spawn_file_actions_addchdir_np")
        _ = path.withCString { function(actions, $0) }
    }

    private static func symbol<Function>(_ name: String) throws -> Function {
        #if os(Linux)
        let everyLibrary: UnsafeMutableRawPointer? = nil  // RTLD_DEFAULT
        #else
        let everyLibrary = UnsafeMutableRawPointer(bitPattern: -2)  // RTLD_DEFAULT
        #endif
        guard let address = dlsym(everyLibrary, name) else {
            throw PostgresServerError("the C library lacks \(name) (glibc 2.34 or newer is needed)")
        }
        return unsafeBitCast(address, to: Function.self)
    }
}
