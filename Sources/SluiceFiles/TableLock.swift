import Foundation
import Sluice

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on one table of the file target: loads, retention and `optimize` of one table queue; loads
/// of different tables run side by side. Readers take no lock (they read what the latest manifest lists).
///
/// An advisory `flock` on `TABLE/_sluice/lock`, released when the holder closes it or its process dies, so a
/// killed loader never leaves the table locked.
final class TableLock: @unchecked Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { _ = close(descriptor) }

    /// Takes the lock of the table whose Sluice folder is `folder`, waiting (without blocking a thread) while
    /// another process or load holds it.
    static func acquire(in folder: String, table: String) async throws -> TableLock {
        try Durability.makeDirectory(folder)
        let path = folder + "/lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Durability.failure("cannot open the table lock", path) }
        var delay: UInt64 = 2_000_000
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let error = Durability.failure("cannot lock table '\(table)'", path)
                _ = close(descriptor)
                throw error
            }
            do {
                try await Task.sleep(nanoseconds: delay)
            } catch {
                _ = close(descriptor)
                throw error
            }
            delay = min(delay * 2, 100_000_000)
        }
        return TableLock(descriptor: descriptor)
    }
}
