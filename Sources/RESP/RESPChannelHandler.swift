import Logging
import NIOCore

/// What a connection writes: encoded commands and how their replies are to be delivered.
enum RESPRequest: Sendable {
    /// `count` commands whose replies complete `promise`, in order.
    case commands(ByteBuffer, count: Int, promise: EventLoopPromise<[RESPValue]>)
    /// `count` commands of a pipeline, the first of which has index `first`.
    case pipeline(ByteBuffer, count: Int, first: Int, state: NIOLoopBound<RESPPipelineState>)
}

/// Writes requests, decodes replies and matches them to requests first in, first out.
///
/// Push messages never match a request. A protocol violation, a reply nobody waits for, an I/O error, a closed
/// channel or a command timeout (no reply for `commandTimeout` while replies are due) fails every waiting
/// request and closes the channel.
final class RESPChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = RESPRequest
    typealias OutboundOut = ByteBuffer

    private enum Pending {
        case commands(EventLoopPromise<[RESPValue]>, count: Int)
        case pipeline(RESPPipelineState, count: Int, first: Int)
    }

    private let processor: NIOSingleStepByteToMessageProcessor<RESPReplyDecoder>
    private let commandTimeout: TimeAmount
    private let logger: Logger
    private var pending = CircularBuffer<Pending>(initialCapacity: 16)
    private var headReceived = 0
    private var headReplies: [RESPValue] = []
    private var failure: RESPError?
    private var watchdog: RepeatedTask?
    private var repliesSeen = 0
    private var repliesAtLastCheck = 0
    private var waitingAtLastCheck = false

    private let closeReason: RESPCloseReason

    init(limits: RESPLimits, commandTimeout: TimeAmount, closeReason: RESPCloseReason, logger: Logger) {
        self.closeReason = closeReason
        processor = NIOSingleStepByteToMessageProcessor(RESPReplyDecoder(limits: limits))
        self.commandTimeout = commandTimeout
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        watchdog = context.eventLoop.scheduleRepeatedTask(initialDelay: commandTimeout, delay: commandTimeout) { _ in
            let (handler, context) = loopBound.value
            handler.checkProgress(context: context)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        watchdog?.cancel()
        watchdog = nil
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let failure {
            promise?.fail(failure)
            fail(request, failure)
            return
        }
        switch request {
        case .commands(let bytes, let count, let replies):
            pending.append(.commands(replies, count: count))
            context.write(wrapOutboundOut(bytes), promise: promise)
        case .pipeline(let bytes, let count, let first, let state):
            state.value.wrote(count)
            pending.append(.pipeline(state.value, count: count, first: first))
            context.write(wrapOutboundOut(bytes), promise: promise)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        do {
            try processor.process(buffer: unwrapInboundIn(data)) { reply in try deliver(reply) }
        } catch let error as RESPError {
            failAll(error, context: context)
        } catch {
            failAll(RESPError(.protocolViolation, "cannot decode a reply", underlying: error), context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(RESPError(.connectionClosed, Self.closedMessage(pending.isEmpty)), context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(RESPConnection.wrap(error), context: context)
    }

    /// Matches one reply to the oldest request.
    private func deliver(_ reply: RESPValue) throws {
        if case .push = reply {
            logger.trace("RESP push message ignored")
            return
        }
        repliesSeen &+= 1
        guard let head = pending.first else {
            throw RESPError(.protocolViolation, "a reply arrived that no command waits for")
        }
        switch head {
        case .commands(let promise, let count):
            headReplies.append(reply)
            headReceived += 1
            guard headReceived == count else { return }
            pending.removeFirst()
            let replies = headReplies
            headReplies = []
            headReceived = 0
            promise.succeed(replies)
        case .pipeline(let state, let count, let first):
            let index = first + headReceived
            headReceived += 1
            if headReceived == count {
                pending.removeFirst()
                headReceived = 0
            }
            state.record(reply, index: index)
        }
    }

    /// Fails the channel if replies are due and none arrived since the last check (one timeout ago).
    private func checkProgress(context: ChannelHandlerContext) {
        let waiting = !pending.isEmpty
        defer {
            repliesAtLastCheck = repliesSeen
            waitingAtLastCheck = waiting
        }
        guard waiting, waitingAtLastCheck, repliesSeen == repliesAtLastCheck else { return }
        failAll(
            RESPError(.timeout, "no reply from the server within \(Self.seconds(commandTimeout))"),
            context: context
        )
    }

    private func failAll(_ error: RESPError, context: ChannelHandlerContext) {
        if failure == nil {
            failure = error
            closeReason.record(error)
            if error.code != .connectionClosed {
                logger.debug("RESP connection failed", metadata: ["error": "\(error)"])
            }
        }
        let failed = pending
        pending.removeAll()
        headReplies = []
        headReceived = 0
        for entry in failed {
            switch entry {
            case .commands(let promise, _): promise.fail(failure!)
            case .pipeline(let state, _, _): state.fail(failure!)
            }
        }
        context.close(promise: nil)
    }

    private func fail(_ request: RESPRequest, _ error: RESPError) {
        switch request {
        case .commands(_, _, let promise): promise.fail(error)
        case .pipeline(_, _, _, let state): state.value.fail(error)
        }
    }

    private static func closedMessage(_ idle: Bool) -> String {
        idle ? "the connection closed" : "the connection closed with replies outstanding"
    }

    private static func seconds(_ amount: TimeAmount) -> String {
        "\(Double(amount.nanoseconds) / 1e9) s"
    }
}
