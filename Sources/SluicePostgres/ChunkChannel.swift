import Synchronization

/// A small bounded queue between the task that reads, prepares and encodes input and the task that sends the
/// encoded chunks to the server, so that encoding overlaps sending.
///
/// The producer waits while the queue is full and ends the stream with ``finish(_:)``; the consumer waits while
/// it is empty and ends it early with ``close()``, which makes further sends return `false`.
final class ChunkChannel<Element: Sendable, Summary: Sendable>: Sendable {
    private struct State: Sendable {
        var buffer: [Element] = []
        var ending: Result<Summary, any Error>?
        var isClosed = false
        var received = 0
        var sender: CheckedContinuation<Bool?, Never>?
        var receiver: CheckedContinuation<Void, Never>?
    }

    private enum Step {
        case element(Element, CheckedContinuation<Bool?, Never>?)
        case end(Result<Summary, any Error>)
        case wait
    }

    private let capacity: Int
    private let state = Mutex(State())

    /// A channel holding at most `capacity` elements.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Adds `element`, waiting while the channel is full. Returns `false` when the consumer has gone.
    func send(_ element: Element) async -> Bool {
        while true {
            let accepted: Bool? = await withCheckedContinuation { continuation in
                let (result, receiver) = state.withLock { state -> (Bool?, CheckedContinuation<Void, Never>?) in
                    if state.isClosed { return (false, nil) }
                    if state.buffer.count < capacity {
                        state.buffer.append(element)
                        defer { state.receiver = nil }
                        return (true, state.receiver)
                    }
                    state.sender = continuation
                    return (nil, nil)
                }
                receiver?.resume()
                if let result { continuation.resume(returning: result) }
            }
            if let accepted { return accepted }
        }
    }

    /// Ends the stream: with the producer's summary, or with the error that stopped it.
    func finish(_ result: Result<Summary, any Error>) {
        let receiver = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.ending == nil { state.ending = result }
            defer { state.receiver = nil }
            return state.receiver
        }
        receiver?.resume()
    }

    /// The next element, waiting while the channel is empty; `nil` once the producer finished successfully.
    ///
    /// - Throws: the error the producer finished with.
    func receive() async throws -> Element? {
        while true {
            let step = state.withLock { state -> Step in
                if !state.buffer.isEmpty {
                    state.received += 1
                    defer { state.sender = nil }
                    return .element(state.buffer.removeFirst(), state.sender)
                }
                if let ending = state.ending { return .end(ending) }
                return .wait
            }
            switch step {
            case .element(let element, let sender):
                sender?.resume(returning: nil)
                return element
            case .end(.failure(let error)): throw error
            case .end(.success): return nil
            case .wait:
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let ready = state.withLock { state -> Bool in
                        if !state.buffer.isEmpty || state.ending != nil { return true }
                        state.receiver = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            }
        }
    }

    /// Whether the consumer has taken any element: after that the input can no longer be replayed.
    var hasDelivered: Bool { state.withLock { $0.received > 0 } }

    /// The producer's summary, once ``receive()`` has returned `nil`.
    var summary: Summary? {
        state.withLock { state in
            if case .success(let summary)? = state.ending { return summary }
            return nil
        }
    }

    /// Tells the producer the consumer has gone: a waiting or later send returns `false`.
    func close() {
        let sender = state.withLock { state -> CheckedContinuation<Bool?, Never>? in
            state.isClosed = true
            state.buffer.removeAll()
            defer { state.sender = nil }
            return state.sender
        }
        sender?.resume(returning: false)
    }
}
