import Sluice

/// One chunk of input and the independent member (a gzip member, a bzip2 stream) it compresses to.
///
/// Owned by the writer while it is filled and emitted, by one worker while it is compressed; the hand-overs
/// happen under ``MemberWorkers``' lock, which also guards ``isDone``.
final class Member: @unchecked Sendable {
    private let input: UnsafeMutableRawBufferPointer
    /// How many bytes of input the member holds.
    private(set) var count = 0
    /// The compressed member, once done.
    private(set) var output: [UInt8] = []
    /// Why compressing failed, if it did.
    var error: (any Error)?
    /// Set by the worker when ``output`` or ``error`` is final (under the workers' lock).
    fileprivate var isDone = false

    /// An empty member that takes up to `capacity` bytes of input.
    init(capacity: Int) {
        input = .allocate(byteCount: max(capacity, 1), alignment: 16)
    }

    deinit { input.deallocate() }

    /// Whether the member holds as much input as it takes.
    var isFull: Bool { count == input.count }

    /// Copies as much of `bytes` as fits; returns how many bytes were taken.
    func append(_ bytes: UnsafeRawBufferPointer) -> Int {
        let taken = min(bytes.count, input.count - count)
        guard taken > 0, let source = bytes.baseAddress else { return 0 }
        (input.baseAddress! + count).copyMemory(from: source, byteCount: taken)
        count += taken
        return taken
    }

    /// Compresses the input into ``output`` as one complete member with `encoder` (reset first).
    func compress(with encoder: any MemberEncoder) throws {
        output.removeAll(keepingCapacity: true)
        try encoder.reset()
        try encoder.encode(UnsafeRawBufferPointer(rebasing: input[0..<count])) { output.append(contentsOf: $0) }
        try encoder.finish { output.append(contentsOf: $0) }
    }

    /// Empties the member for the next chunk, keeping its buffers.
    func recycle() {
        count = 0
        output.removeAll(keepingCapacity: true)
        error = nil
        isDone = false
    }
}

/// A fixed set of threads that compress submitted ``Member``s, each with its own encoder, in submission order.
final class MemberWorkers: @unchecked Sendable {
    private let lock = PosixCondition()
    /// Submitted and not yet taken by a worker (guarded by `lock`).
    private var queue: [Member] = []
    private var isStopping = false
    /// Touched only by the owner's thread.
    private var threads: [WorkerThread] = []

    /// Starts `count` threads; each makes its encoder with `makeEncoder` when it starts.
    init(count: Int, makeEncoder: @escaping @Sendable () throws -> any MemberEncoder) throws {
        do {
            for _ in 0..<count {
                threads.append(try WorkerThread { [self] in run(makeEncoder) })
            }
        } catch {
            stop()
            throw error
        }
    }

    /// Hands `member` to the next free worker.
    func submit(_ member: Member) {
        lock.withLock {
            queue.append(member)
            lock.broadcast()
        }
    }

    /// Whether a worker has finished `member`.
    func isDone(_ member: Member) -> Bool {
        lock.withLock { member.isDone }
    }

    /// Blocks until `member` is done; meanwhile the calling thread compresses members still queued with
    /// `encoder` rather than sleep, so it stays busy (and keeps its share of a loaded machine).
    func waitUntilDone(_ member: Member, helpingWith encoder: any MemberEncoder) {
        while let queued = nextQueued(unless: member) {
            compress(queued, with: encoder)
        }
        lock.withLock {
            while !member.isDone { lock.wait() }
        }
    }

    /// Drops the members not yet taken, lets the workers finish the ones they hold, and joins them.
    func stop() {
        lock.withLock {
            isStopping = true
            queue.removeAll()
            lock.broadcast()
        }
        for thread in threads { thread.join() }
        threads.removeAll()
    }

    private func run(_ makeEncoder: @Sendable () throws -> any MemberEncoder) {
        let encoder = Result { try makeEncoder() }
        while let member = next() {
            switch encoder {
            case .success(let encoder): compress(member, with: encoder)
            case .failure(let error): complete(member, error: error)
            }
        }
    }

    private func compress(_ member: Member, with encoder: any MemberEncoder) {
        do {
            try member.compress(with: encoder)
            complete(member, error: nil)
        } catch {
            complete(member, error: error)
        }
    }

    private func complete(_ member: Member, error: (any Error)?) {
        lock.withLock {
            member.error = error
            member.isDone = true
            lock.broadcast()
        }
    }

    /// The oldest queued member, unless `awaited` is done or nothing is queued.
    private func nextQueued(unless awaited: Member) -> Member? {
        lock.withLock {
            awaited.isDone || queue.isEmpty || isStopping ? nil : queue.removeFirst()
        }
    }

    /// The next member to compress, or `nil` when stopping.
    private func next() -> Member? {
        lock.withLock {
            while queue.isEmpty && !isStopping { lock.wait() }
            return isStopping ? nil : queue.removeFirst()
        }
    }
}
