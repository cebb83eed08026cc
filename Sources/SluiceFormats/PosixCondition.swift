import Sluice

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutex with one condition variable (pthreads): the one lock the parallel compressor's caller and workers share.
///
/// `Mutex` from Synchronization cannot wait for a condition, and the writer API is synchronous, so blocking is
/// what we want here: the writer waits for a worker rather than queueing without bound.
final class PosixCondition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        mutex.initialize(to: pthread_mutex_t())
        condition.initialize(to: pthread_cond_t())
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Runs `body` holding the lock.
    func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Waits (the lock held by the caller, inside ``withLock(_:)``) until another thread calls ``broadcast()``.
    func wait() {
        pthread_cond_wait(condition, mutex)
    }

    /// Wakes every waiting thread.
    func broadcast() {
        pthread_cond_broadcast(condition)
    }
}

/// A joinable POSIX thread running one closure.
struct WorkerThread {
    private var thread = pthread_t()

    /// Starts a thread running `body`.
    init(_ body: @escaping @Sendable () -> Void) throws {
        let start = Unmanaged.passRetained(WorkerStart(body)).toOpaque()
        let status = pthread_create(
            &thread,
            nil,
            { raw in
                guard let raw else { return nil }
                Unmanaged<WorkerStart>.fromOpaque(raw).takeRetainedValue().body()
                return nil
            },
            start
        )
        guard status == 0 else {
            Unmanaged<WorkerStart>.fromOpaque(start).release()
            throw SluiceError(.io, "cannot start a compression thread (\(status))")
        }
    }

    /// Waits for the thread to end.
    func join() {
        pthread_join(thread, nil)
    }

    /// How many workers to start: the online processors, at least 1 and at most `cap`.
    static func count(cap: Int) -> Int {
        max(1, min(cap, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}

/// The closure handed to a new thread.
private final class WorkerStart: Sendable {
    let body: @Sendable () -> Void

    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}
