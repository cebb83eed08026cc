import Foundation

/// Runs the blocking `body` (starting or stopping servers: shell commands and polls that take seconds) on a
/// thread of its own, so that it does not hold one of the few threads of Swift's cooperative pool. Tests run in
/// parallel; on a 2-core machine two blocked pool threads stall every other test.
func offThePool<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}
