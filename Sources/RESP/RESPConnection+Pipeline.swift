import NIOCore

extension RESPConnection {
    /// Default commands in flight for a pipeline.
    public static let defaultWindow = 16384

    /// Sends every command of `commands` and counts the replies: the bulk path.
    ///
    /// Commands are encoded in chunks (at most 256 KiB or a quarter of the window) and each chunk is written and
    /// flushed once; at most `window` commands are written but unanswered, and at most two chunks wait in the
    /// channel for the socket. Error replies do not stop the pipeline: ``PipelineOutcome`` counts them and keeps
    /// the first `maximumErrors` with their commands' indexes; with `recordingNulls` it lists the commands whose
    /// reply was null (``PipelineOutcome/nullIndexes``).
    ///
    /// Throws if the connection fails (with how many replies arrived) or times out. Cancelled with replies
    /// outstanding, it closes the connection (it is poisoned: the replies would answer later commands).
    public func pipeline<Commands: Sequence>(
        commands: Commands,
        window: Int = RESPConnection.defaultWindow,
        maximumErrors: Int = 100,
        collectingReplies: Bool = false,
        recordingNulls: Bool = false
    ) async throws -> PipelineOutcome where Commands.Element: RESPCommandEncodable {
        try await pipeline(
            commands: commands,
            window: window,
            outcome: PipelineOutcome(
                maximumErrors: maximumErrors,
                collectsReplies: collectingReplies,
                recordsNullIndexes: recordingNulls
            )
        )
    }

    /// Sends commands already encoded into `encoded` (`count` of them, back to back) and counts the replies, as
    /// ``pipeline(commands:window:maximumErrors:collectingReplies:recordingNulls:)`` does: for a bulk loader that
    /// encodes while it reads, so that the connection only copies bytes. The buffer goes out in one write once
    /// at most `window - count` commands are in flight.
    public func pipeline(
        encoded: ByteBuffer,
        count: Int,
        window: Int = RESPConnection.defaultWindow,
        maximumErrors: Int = 100,
        recordingNulls: Bool = false
    ) async throws -> PipelineOutcome {
        let outcome = PipelineOutcome(
            maximumErrors: maximumErrors,
            collectsReplies: false,
            recordsNullIndexes: recordingNulls
        )
        guard count > 0 else {
            try checkUsable()
            return outcome
        }
        return try await runPipeline(outcome: outcome) { state in
            let threshold = max(window - count, 0)
            try await channel.eventLoop.flatSubmit { state.value.waitForRoom(threshold: threshold) }.get()
            try await channel.writeAndFlush(RESPRequest.pipeline(encoded, count: count, first: 0, state: state))
            return count
        }
    }

    /// The pipeline, counting into `outcome` (which may set redirects apart, for a cluster client).
    func pipeline<Commands: Sequence>(
        commands: Commands,
        window: Int,
        outcome: PipelineOutcome
    ) async throws -> PipelineOutcome where Commands.Element: RESPCommandEncodable {
        let window = max(window, 1)
        return try await runPipeline(outcome: outcome) { state in
            try await write(commands, window: window, state: state)
        }
    }

    /// Runs one pipeline: `write` sends the commands and returns how many; then every reply is awaited and
    /// counted into `outcome`. A failure names how many replies arrived; cancellation poisons the connection.
    private func runPipeline(
        outcome: PipelineOutcome,
        write: (NIOLoopBound<RESPPipelineState>) async throws -> Int
    ) async throws -> PipelineOutcome {
        try checkUsable()
        let eventLoop = channel.eventLoop
        let state = try await eventLoop.submit {
            NIOLoopBound(RESPPipelineState(eventLoop: eventLoop, outcome: outcome), eventLoop: eventLoop)
        }.get()
        return try await withTaskCancellationHandler {
            do {
                let total = try await write(state)
                try await eventLoop.flatSubmit { state.value.finished(total: total) }.get()
                return try await eventLoop.submit { state.value.result }.get()
            } catch {
                throw await pipelineFailure(error, state: state)
            }
        } onCancel: {
            self.poison()
        }
    }

    /// Writes the commands chunk by chunk within the window; returns how many there were.
    private func write<Commands: Sequence>(
        _ commands: Commands,
        window: Int,
        state: NIOLoopBound<RESPPipelineState>
    ) async throws -> Int where Commands.Element: RESPCommandEncodable {
        let chunkCommands = max(1, min(window / 4, 2048))
        let chunkBytes = 256 << 10
        var iterator = commands.makeIterator()
        var total = 0
        var previousWrite: EventLoopFuture<Void>?
        var exhausted = false
        while !exhausted {
            var encoder = RESPEncoder(buffer: channel.allocator.buffer(capacity: chunkBytes + 1024))
            var count = 0
            while count < chunkCommands, encoder.buffer.readableBytes < chunkBytes {
                guard let command = iterator.next() else {
                    exhausted = true
                    break
                }
                command.encode(into: &encoder)
                count += 1
            }
            guard count > 0 else { break }
            try Task.checkCancellation()
            let threshold = window - count
            try await channel.eventLoop.flatSubmit { state.value.waitForRoom(threshold: threshold) }.get()
            let write = channel.eventLoop.makePromise(of: Void.self)
            channel.writeAndFlush(
                RESPRequest.pipeline(encoder.buffer, count: count, first: total, state: state),
                promise: write
            )
            total += count
            // At most two chunks wait for the socket: this respects the channel's writability without a callback.
            try await previousWrite?.get()
            previousWrite = write.futureResult
        }
        try await previousWrite?.get()
        return total
    }

    /// The error a failed pipeline throws: cancellation, or the connection's failure with the count of replies.
    private func pipelineFailure(_ error: any Error, state: NIOLoopBound<RESPPipelineState>) async -> RESPError {
        let received = (try? await channel.eventLoop.submit { state.value.received }.get()) ?? 0
        if Task.isCancelled || error is CancellationError {
            poison()
            return RESPError(.cancelled, "pipeline cancelled after \(received) replies; the connection was closed")
        }
        var failure = closeReason.explain(error)
        failure.message += " (pipeline: \(received) replies received)"
        poison()
        return failure
    }
}
