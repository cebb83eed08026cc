import Foundation

/// Runs `body` — which waits on processes and servers — on a thread of its own and awaits its result, so that the
/// fault tests never block a thread of the cooperative pool (whose few threads the library tests running beside
/// them need: a Redis load's lock heartbeat among them).
func onThread<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
