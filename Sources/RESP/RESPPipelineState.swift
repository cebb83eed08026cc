import NIOCore

/// The bookkeeping of one running pipeline, owned by the channel's event loop: commands in flight, the counts
/// and first errors of the replies so far, and the two things the writer may wait for (room in the window, the
/// last reply). One object per pipeline; no promise per command.
final class RESPPipelineState {
    private let eventLoop: any EventLoop
    private var outcome: PipelineOutcome
    private var inFlight = 0
    private var written = 0
    private var room: (promise: EventLoopPromise<Void>, threshold: Int)?
    private var done: (promise: EventLoopPromise<Void>, total: Int)?
    private var failure: RESPError?

    init(eventLoop: any EventLoop, outcome: PipelineOutcome) {
        self.eventLoop = eventLoop
        self.outcome = outcome
    }

    /// The counts so far (complete once ``finished(total:)`` succeeded).
    var result: PipelineOutcome { outcome }

    /// How many replies arrived.
    var received: Int { outcome.count + outcome.redirects.count }

    /// `count` more commands went out (called by the handler as it writes them).
    func wrote(_ count: Int) {
        inFlight += count
        written += count
    }

    /// Records the reply to the command at `index`.
    func record(_ reply: RESPValue, index: Int) {
        inFlight -= 1
        outcome.record(reply, index: index)
        if let room, inFlight <= room.threshold {
            self.room = nil
            room.promise.succeed()
        }
        if let done, received == done.total {
            self.done = nil
            done.promise.succeed()
        }
    }

    /// Succeeds once at most `threshold` commands are in flight.
    func waitForRoom(threshold: Int) -> EventLoopFuture<Void> {
        eventLoop.assertInEventLoop()
        if let failure { return eventLoop.makeFailedFuture(failure) }
        if inFlight <= threshold { return eventLoop.makeSucceededVoidFuture() }
        let promise = eventLoop.makePromise(of: Void.self)
        room = (promise, threshold)
        return promise.futureResult
    }

    /// Succeeds once all `total` replies arrived.
    func finished(total: Int) -> EventLoopFuture<Void> {
        eventLoop.assertInEventLoop()
        if let failure { return eventLoop.makeFailedFuture(failure) }
        if received >= total { return eventLoop.makeSucceededVoidFuture() }
        let promise = eventLoop.makePromise(of: Void.self)
        done = (promise, total)
        return promise.futureResult
    }

    /// The connection failed: every wait fails with `error`.
    func fail(_ error: RESPError) {
        guard failure == nil else { return }
        failure = error
        room?.promise.fail(error)
        done?.promise.fail(error)
        room = nil
        done = nil
    }
}
