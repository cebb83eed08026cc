import Foundation
import Sluice

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a pipeline file for the length of a run, so that a run started while the previous one is
/// still going (a slow night under cron) stops at once instead of running beside it. An advisory `flock(2)` on
/// the file itself: no lock file is left behind, and the lock goes with the process.
enum PipelineLock {
    /// The exit status of a run refused because another holds the lock (`EX_TEMPFAIL`).
    static let busyStatus: Int32 = 75

    /// The lock could not be taken.
    struct Busy: Error, CustomStringConvertible {
        var path: String
        var description: String {
            "\(path) is already running (another sluice run holds its lock); this run did nothing"
        }
    }

    /// Runs `body` holding the lock on `path`.
    ///
    /// - Throws: ``Busy`` when another process holds it; `SluiceError` (io) when the file cannot be opened.
    static func withLock<Result>(on path: String, _ body: () async throws -> Result) async throws -> Result {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SluiceError(.io, "\(path): cannot open the pipeline file to lock it") }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { throw Busy(path: path) }
        defer { flock(descriptor, LOCK_UN) }
        return try await body()
    }
}
