import Foundation
import SluiceTesting

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Table locks planted by hand, as another Sluice process on this host would hold them.
enum PlantedLock {
    /// This machine's host name, as Sluice records it in a lock (`gethostname`).
    static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The lock key of `table` in `namespace`.
    static func key(_ table: String, namespace: String = "sluice") -> String { "{\(namespace):\(table)}:_sluice:lock" }

    /// Sets `table`'s lock to a holder `id` with process `pid` on this host, started now, for 10 minutes.
    static func plant(_ table: String, id: String, pid: Int32, in server: RedisServer) throws {
        let started = Int64(Date().timeIntervalSince1970 * 1000)
        let value = #"{"host":"\#(hostName)","id":"\#(id)","op":"load","pid":\#(pid),"started":\#(started)}"#
        try server.cli("SET", key(table), value, "PX", "600000")
    }

    /// A `sleep` child: a live process that is not this one. Terminate it when done.
    static func sleeper() throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = ["120"]
        try process.run()
        return process
    }

    /// The id of a process that has ended (a `true` child, waited for).
    static func deadProcessID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    /// Writes `rows` sample prices (seed `seed`) to `file` in `directory`.
    static func sample(_ file: String, rows: Int, seed: Int = 42, in directory: URL) throws {
        let sample = try SluiceProcess.run(
            ["sample", "ohlcv", "--rows", "\(rows)", "--symbols", "20", "--seed", "\(seed)", "--output", file],
            in: directory
        )
        guard sample.status == 0 else { throw CLITestError("sample: \(sample.error)") }
    }
}
