import Foundation

/// A small bounded queue between the task that reads and prepares input batches and the thread that writes them
/// (SQLite's database thread, the file target's writer thread), so that decoding and digesting overlap with
/// writing.
///
/// The producer awaits (never blocks a cooperative thread) while the queue is full; the consumer runs on a
/// thread of its own and blocks while the queue is empty. The producer ends the stream with ``finish(_:)``;
/// the consumer ends it early with ``close()``, which makes further sends return `false`.
public final class BatchChannel<Element: Sendable, Summary: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    // Guarded by `condition`.
    private var buffer: [Element] = []
    private var ending: Result<Summary, any Error>?
    private var isClosed = false
    private var waitingSender: CheckedContinuation<Bool?, Never>?
    private var waitingReceiver: CheckedContinuation<Void, Never>?

    /// A channel holding at most `capacity` elements.
    public init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Adds `element`, waiting while the channel is full. Returns `false` when the consumer has gone.
    public func send(_ element: Element) async -> Bool {
        while true {
            let accepted: Bool? = await withCheckedContinuation { continuation in
                condition.lock()
                if isClosed {
                    condition.unlock()
                    continuation.resume(returning: false)
                } else if buffer.count < capacity {
                    buffer.append(element)
                    condition.signal()
                    let receiver = waitingReceiver
                    waitingReceiver = nil
                    condition.unlock()
                    receiver?.resume()
                    continuation.resume(returning: true)
                } else {
                    waitingSender = continuation
                    condition.unlock()
                }
            }
            if let accepted { return accepted }
        }
    }

    /// Ends the stream: with the producer's summary, or with the error that stopped it.
    public func finish(_ result: Result<Summary, any Error>) {
        condition.lock()
        if ending == nil { ending = result }
        condition.signal()
        let receiver = waitingReceiver
        waitingReceiver = nil
        condition.unlock()
        receiver?.resume()
    }

    /// The next element, blocking while the channel is empty; `nil` once the producer finished successfully.
    ///
    /// - Throws: the error the producer finished with.
    public func receive() throws -> Element? {
        condition.lock()
        while buffer.isEmpty && ending == nil { condition.wait() }
        if !buffer.isEmpty {
            let element = buffer.removeFirst()
            let sender = waitingSender
            waitingSender = nil
            condition.unlock()
            sender?.resume(returning: nil)
            return element
        }
        let ending = self.ending
        condition.unlock()
        switch ending {
        case .failure(let error)?: throw error
        default: return nil
        }
    }

    /// The next element, awaiting (not blocking) while the channel is empty: for a consumer that is a task, not a
    /// thread. `nil` once the producer finished successfully.
    ///
    /// - Throws: the error the producer finished with.
    public func next() async throws -> Element? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if !buffer.isEmpty || ending != nil {
                condition.unlock()
                continuation.resume()
            } else {
                waitingReceiver = continuation
                condition.unlock()
            }
        }
        // Resumed with an element or the end in the channel: `receive()` does not block (one consumer).
        return try receive()
    }

    /// The producer's summary, once ``receive()`` has returned `nil`.
    public var summary: Summary? {
        condition.lock()
        defer { condition.unlock() }
        if case .success(let summary)? = ending { return summary }
        return nil
    }

    /// Tells the producer the consumer has gone: a waiting or later send returns `false`.
    public func close() {
        condition.lock()
        isClosed = true
        buffer.removeAll()
        let sender = waitingSender
        waitingSender = nil
        condition.unlock()
        sender?.resume(returning: false)
    }
}
