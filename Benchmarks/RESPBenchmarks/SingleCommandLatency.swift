import NIOCore
import NIOPosix
import RESP

/// Where the task that sends one command at a time runs.
enum TaskPlacement: CaseIterable {
    /// Swift's cooperative pool, as any caller of `RESPConnection.send` gets by default: each command hops to the
    /// connection's event loop and each reply back.
    case cooperativePool
    /// The connection's own event loop (a one-thread group and ``EventLoopTaskExecutor``): what the client costs
    /// without those hops.
    case eventLoop

    var label: String {
        switch self {
        case .cooperativePool: "send"
        case .eventLoop: "send on the event loop"
        }
    }
}

/// One run of ours: `count` `SET key value`, then `count` `GET key`, each awaited before the next is sent, timed
/// one by one with the monotonic clock.
struct SingleCommandLatency {
    var url: String
    var key: String
    var value: ByteBuffer
    var count: Int

    /// The `SET` and the `GET` latencies.
    func measure(_ placement: TaskPlacement) async throws -> (set: LatencySummary, get: LatencySummary) {
        switch placement {
        case .cooperativePool:
            return try await measure(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        case .eventLoop:
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            do {
                let executor = EventLoopTaskExecutor(group.next())
                let result = try await withTaskExecutorPreference(executor) {
                    try await measure(eventLoopGroup: group)
                }
                try await group.shutdownGracefully()
                return result
            } catch {
                try? await group.shutdownGracefully()
                throw error
            }
        }
    }

    private func measure(
        eventLoopGroup: any EventLoopGroup
    ) async throws -> (set: LatencySummary, get: LatencySummary) {
        let connection = try await RESPConnection.connect(try .init(url: url), eventLoopGroup: eventLoopGroup)
        do {
            let set = try await roundTrips(of: RESPCommand("SET", .string(key), .bytes(value)), on: connection)
            let get = try await roundTrips(of: RESPCommand("GET", .string(key)), on: connection)
            await connection.close()
            return (LatencySummary(nanoseconds: set), LatencySummary(nanoseconds: get))
        } catch {
            await connection.close()
            throw error
        }
    }

    /// The round trip of each of `count` sends of `command`, in nanoseconds.
    private func roundTrips(of command: RESPCommand, on connection: RESPConnection) async throws -> [Int64] {
        let clock = ContinuousClock()
        var samples: [Int64] = []
        samples.reserveCapacity(count)
        for _ in 0..<count {
            let start = clock.now
            try await connection.send(command)
            samples.append(Measurements.nanoseconds(start.duration(to: clock.now)))
        }
        return samples
    }
}
