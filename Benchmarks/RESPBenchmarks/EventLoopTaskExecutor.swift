import NIOCore

/// A task executor that runs every job on one NIO event loop. A task preferring it sends on the loop's own thread
/// and resumes there when the reply's future completes: no hop to and from Swift's cooperative pool per command.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
