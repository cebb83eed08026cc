import Foundation
import NIOCore
import RESP
import SluiceTesting
import Testing

/// `SET key value` for a bulk pipeline, written straight from its parts (what a loader does).
struct SetCommand: RESPCommandEncodable {
    var prefix: StaticString
    var number: Int
    var value: ByteBuffer
    var seconds: Int?

    func encode(into encoder: inout RESPEncoder) {
        encoder.writeArrayHeader(seconds == nil ? 3 : 5)
        encoder.writeBulkString("SET")
        encoder.writeBulkString(length: prefix.utf8CodeUnitCount + RESPEncoder.decimalCount(number)) { buffer in
            buffer.writeStaticString(prefix)
            RESPEncoder.writeDecimal(number, into: &buffer)
        }
        encoder.writeBulkString(value)
        if let seconds {
            encoder.writeBulkString("EX")
            encoder.writeBulkString(seconds)
        }
    }
}

@Suite("RESP pipelines against a real server", .timeLimit(.minutes(3)))
struct RESPPipelineTests {
    @Test("100,000 SETs with a WRONGTYPE at a known index: exact counts, the error with its index")
    func countsAndIndexedError() async throws {
        let server = try RedisServer.shared
        try await withRESPClient(url: server.url(database: 1)) { client in
            try await client.send(RESPCommand("HSET", "pipeline:hash", "field", "1"))
            let wrong = 54_321
            let commands = (0..<100_000).lazy.map { index in
                index == wrong
                    ? RESPCommand("LPUSH", "pipeline:hash", "x")
                    : RESPCommand("SET", .string("pipeline:\(index)"), .string("value-\(index)"))
            }
            let outcome = try await client.pipeline(commands: commands, window: 4096)
            #expect(outcome.count == 100_000)
            #expect(outcome.succeeded == 99_999)
            #expect(outcome.failed == 1)
            #expect(outcome.failuresByPrefix == ["WRONGTYPE": 1])
            let failure = try #require(outcome.errors.first)
            #expect(failure.index == wrong)
            #expect(failure.error.prefix == "WRONGTYPE")
            #expect(try await client.send(RESPCommand("GET", "pipeline:99999")).string == "value-99999")
        }
        #expect(Int(try server.cli("-n", "1", "DBSIZE")) == 100_000)
    }

    @Test("replies can be collected in order; SET NX on existing keys counts nulls")
    func collectedReplies() async throws {
        let server = try RedisServer.shared
        try await withRESPClient(url: server.url(database: 6)) { client in
            let keys = (0..<1000).map { RESPCommand("SET", .string("nx:\($0)"), "v", "NX") }
            let first = try await client.pipeline(commands: keys, window: 100)
            #expect(first.succeeded == 1000 && first.nulls == 0)
            let again = try await client.pipeline(commands: keys, window: 100)
            #expect(again.nulls == 1000)
            let gets = try await client.pipeline(
                commands: (0..<1000).map { RESPCommand("INCR", .string("nx:\($0 * 7)")) },
                window: 64,
                maximumErrors: 3,
                collectingReplies: true
            )
            #expect(gets.replies.count == 1000)
            #expect(gets.errors.map(\.index) == [0, 1, 2])
            #expect(gets.failed == 143)  // 0, 7, …, 994 exist and hold "v"
            #expect(gets.replies[1] == .error("ERR value is not an integer or out of range"))
            #expect(gets.replies[143] == .integer(1))
        }
    }

    @Test("an empty pipeline returns at once; a window of 1 still works")
    func edgeWindows() async throws {
        let server = try RedisServer.shared
        try await withRESPClient(url: server.url(database: 7)) { client in
            #expect(try await client.pipeline(commands: [RESPCommand]()).count == 0)
            let outcome = try await client.pipeline(
                commands: (0..<50).map { RESPCommand("PING", .integer($0)) },
                window: 1
            )
            #expect(outcome.count == 50 && outcome.failed == 0)
        }
    }

    @Test("the server killed mid-pipeline: the pipeline fails, it does not hang")
    func serverKilled() async throws {
        try await withRedisServer { server in
            let connection = try await RESPConnection.connect(try .init(url: server.url()))
            let value = ByteBuffer(repeating: UInt8(ascii: "x"), count: 100)
            let commands = (0..<2_000_000).lazy.map { number in
                if number == 300_000 { server.kill() }
                return SetCommand(prefix: "killed:", number: number, value: value)
            }
            let error = try await #require(throws: RESPError.self) {
                try await connection.pipeline(commands: commands)
            }
            #expect(error.code == .connectionClosed || error.code == .connectionUnusable)
            #expect(error.isRetryable || error.code == .connectionUnusable)
            #expect(!connection.isUsable)
            #expect(!"\(error)".contains("\n"))
        }
    }

    @Test("a cancelled pipeline poisons its connection: closed and never handed out again")
    func cancellationPoisons() async throws {
        let server = try RedisServer.shared
        try await withRESPClient(
            .init(connection: try .init(url: server.url(database: 8)), maximumConnections: 1)
        ) { client in
            let first = try await client.withConnection { $0 }
            let value = ByteBuffer(repeating: UInt8(ascii: "y"), count: 100)
            let started = AsyncStream<Void>.makeStream()
            await withThrowingTaskGroup(of: PipelineOutcome.self) { group in
                group.addTask {
                    let commands = (0..<20_000_000).lazy.map { number in
                        if number == 10_000 { started.continuation.yield() }
                        return SetCommand(prefix: "cancel:", number: number, value: value)
                    }
                    return try await client.pipeline(commands: commands)
                }
                for await _ in started.stream { break }
                group.cancelAll()
                let result = await group.nextResult()
                guard case .failure(let error) = result else {
                    Issue.record("the pipeline finished despite cancellation")
                    return
                }
                #expect((error as? RESPError)?.code == .cancelled)
            }
            #expect(!first.isUsable)
            let second = try await client.withConnection { connection throws -> RESPConnection in
                let reply = try await connection.send(RESPCommand("PING"))
                #expect(reply == .simpleString("PONG"))
                return connection
            }
            #expect(first !== second)
            #expect(client.openConnections == 1)
        }
    }

    @Test("the pool never opens more than its maximum and reuses connections")
    func poolLimit() async throws {
        let server = try RedisServer.shared
        try await withRESPClient(url: server.url(database: 9), maximumConnections: 2) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<16 {
                    group.addTask {
                        for round in 0..<20 {
                            try await client.send(RESPCommand("SET", .string("pool:\(task):\(round)"), "1"))
                            #expect(client.openConnections <= 2)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(client.openConnections == 2)
        }
        #expect(try server.cli("-n", "9", "DBSIZE") == "320")
    }

    @Test("a pooled connection broken by a server restart is dropped and replaced")
    func restartReplacesConnection() async throws {
        try await withRedisServer { server in
            try await withRESPClient(url: server.url(), maximumConnections: 1) { client in
                let before = try await client.withConnection { connection in
                    try await connection.send(RESPCommand("SET", "restart:key", "1"))
                    return connection
                }
                server.kill()
                try server.start()
                let after = try await client.withConnection { connection in
                    try await connection.send(RESPCommand("SET", "restart:key", "2"))
                    return connection
                }
                #expect(before !== after)
                #expect(!before.isUsable)
                #expect(client.openConnections == 1)
            }
            #expect(try server.cli("GET", "restart:key") == "2")
        }
    }
}
