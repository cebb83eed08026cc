// The RESP client's bulk pipeline against `redis-cli --pipe` (release build only):
//
//   swift run -c release RESPBenchmarks [COUNT]     (default 1,000,000)
//
// COUNT `SET bench:N <120 bytes> EX 300` through `RESPConnection.pipeline` and through `redis-cli --pipe` fed the
// same bytes from a file, on one throw-away redis-server; best of three each, the database flushed between runs.
import Foundation
import NIOCore
import RESP
import SluiceTesting

/// `SET PREFIX<number> VALUE EX SECONDS`, encoded without a `String` per command.
struct SetCommand: RESPCommandEncodable {
    var prefix: StaticString
    var number: Int
    var value: ByteBuffer
    var seconds: Int

    func encode(into encoder: inout RESPEncoder) {
        encoder.writeArrayHeader(5)
        encoder.writeBulkString("SET")
        encoder.writeBulkString(length: prefix.utf8CodeUnitCount + RESPEncoder.decimalCount(number)) { buffer in
            buffer.writeStaticString(prefix)
            RESPEncoder.writeDecimal(number, into: &buffer)
        }
        encoder.writeBulkString(value)
        encoder.writeBulkString("EX")
        encoder.writeBulkString(seconds)
    }
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

/// Runs the comparison. Nonisolated on purpose: the lazy command sequence must not be made on the main actor.
func run(count: Int) async throws {
    let value = ByteBuffer(repeating: UInt8(ascii: "v"), count: 120)
    let commands = (0..<count).lazy.map { SetCommand(prefix: "bench:", number: $0, value: value, seconds: 300) }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: file) }
    var encoder = RESPEncoder(buffer: ByteBuffer())
    for command in commands { command.encode(into: &encoder) }
    try Data(encoder.buffer.readableBytesView).write(to: file)
    try await withRedisServer { server in
        let clock = ContinuousClock()
        var cliTimes: [Duration] = []
        var ourTimes: [Duration] = []
        for _ in 0..<3 {
            try server.cli("FLUSHALL")
            cliTimes.append(try clock.measure { try server.pipe(file) })
            guard Int(try server.cli("DBSIZE")) == count else {
                throw BenchmarkFailure("redis-cli loaded too few keys")
            }
            try server.cli("FLUSHALL")
            let connection = try await RESPConnection.connect(try .init(url: server.url()))
            var outcome: PipelineOutcome?
            ourTimes.append(try await clock.measure { outcome = try await connection.pipeline(commands: commands) })
            await connection.close()
            guard outcome?.succeeded == count, Int(try server.cli("DBSIZE")) == count else {
                throw BenchmarkFailure("the pipeline loaded too few keys")
            }
        }
        let cli = seconds(cliTimes.min()!)
        let ours = seconds(ourTimes.min()!)
        print("commands=\(count) redis_cli_pipe_seconds=\(cli) resp_pipeline_seconds=\(ours) ratio=\(ours / cli)")
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 1_000_000
try await run(count: count)
