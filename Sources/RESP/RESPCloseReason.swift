import Synchronization

/// The first failure of a connection's channel, readable from any thread.
///
/// A write to a channel that already closed fails with NIO's "I/O on closed channel"; the reason recorded here
/// (a TLS verification failure, a protocol violation, a timeout) is what the caller is told instead.
final class RESPCloseReason: Sendable {
    private let reason = Mutex<RESPError?>(nil)

    /// Keeps `error` unless a reason is already known.
    func record(_ error: RESPError) {
        reason.withLock { if $0 == nil { $0 = error } }
    }

    /// The recorded reason, if any.
    var error: RESPError? { reason.withLock { $0 } }

    /// The recorded reason, else `error` as a ``RESPError``.
    func explain(_ error: any Error) -> RESPError {
        self.error ?? RESPConnection.wrap(error)
    }
}
