import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Who holds a table's lock, as its value records it: compact JSON
/// `{"id":"<load id>","op":"load","host":"<host name>","pid":1234,"started":<ms since 1970>}`.
///
/// The value is also the lock's token: renewal and release compare it whole. A value in the old format (a bare
/// token) is read as a holder with an id only, whose liveness cannot be known (it is waited for until it expires).
struct CacheLockHolder: Sendable, Equatable, Codable {
    /// The load's (or read's) id.
    var id: String
    /// What holds the lock: `load` or `read`; `nil` in an old-format value.
    var operation: String?
    /// The holder's host name.
    var host: String?
    /// The holder's process id on that host.
    var pid: Int32?
    /// When the holder took the lock, in milliseconds since 1970.
    var startedMilliseconds: Int64?

    private enum CodingKeys: String, CodingKey {
        case id
        case operation = "op"
        case host, pid
        case startedMilliseconds = "started"
    }

    /// A holder for this process, taking the lock now.
    static func current(id: String, operation: String) -> CacheLockHolder {
        CacheLockHolder(
            id: id,
            operation: operation,
            host: hostName,
            pid: getpid(),
            startedMilliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded())
        )
    }

    /// Reads a lock's value: JSON, or an old-format bare token.
    init(parsing value: String) {
        if value.hasPrefix("{"), let holder = try? JSONDecoder().decode(Self.self, from: Data(value.utf8)) {
            self = holder
        } else {
            self.init(id: value)
        }
    }

    init(
        id: String,
        operation: String? = nil,
        host: String? = nil,
        pid: Int32? = nil,
        startedMilliseconds: Int64? = nil
    ) {
        self.id = id
        self.operation = operation
        self.host = host
        self.pid = pid
        self.startedMilliseconds = startedMilliseconds
    }

    /// The lock's value: compact JSON, keys in a fixed order.
    var value: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? id
    }

    /// Whether the holder is a process of this host that no longer exists (`kill(pid, 0)` fails with `ESRCH`).
    ///
    /// A holder on another host, or one whose value does not say, is never judged dead: it is waited for.
    var isDeadOnThisHost: Bool {
        guard let host, !host.isEmpty, let pid, pid > 0, host == Self.hostName else { return false }
        return kill(pid, 0) == -1 && errno == ESRCH
    }

    /// One phrase naming the holder: `load 0198… on host db1 (pid 4242, started 2025-08-01T12:00:00Z, 12s ago)`.
    var description: String {
        var text = "\(operation ?? "load") \(id)"
        guard let host, let pid else { return text + " (an older Sluice: host and pid not recorded)" }
        text += " on host \(host) (pid \(pid)"
        if let startedMilliseconds {
            let started = Date(timeIntervalSince1970: Double(startedMilliseconds) / 1000)
            let ago = Int64((Date().timeIntervalSince1970 * 1000).rounded()) - startedMilliseconds
            text += ", started \(started.ISO8601Format()), \(Self.text(milliseconds: max(0, ago))) ago"
        }
        return text + ")"
    }

    /// `950ms`, `12s`, `9m55s`, `1h02m`.
    static func text(milliseconds: Int64) -> String {
        if milliseconds < 1_000 { return "\(milliseconds)ms" }
        let seconds = milliseconds / 1_000
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3_600 { return "\(seconds / 60)m\(String(format: "%02d", seconds % 60))s" }
        return "\(seconds / 3_600)h\(String(format: "%02d", seconds % 3_600 / 60))m"
    }

    /// This machine's host name (`gethostname`), or `""` when it cannot be read.
    static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()
}
