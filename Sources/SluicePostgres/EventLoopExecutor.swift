import NIOCore

/// A task executor that runs every job on one NIO event loop's thread. A task preferring it runs between the loop's
/// own events, so that a check of the connection and the write after it cannot be split by one (see ``CopySender``).
final class EventLoopExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
