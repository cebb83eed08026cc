import Foundation
import NIOCore
import RESP
import SluiceTesting
import Testing

/// 1,000,000 `SET bench:N <120 bytes> EX 300` through our pipeline against `redis-cli --pipe` fed the same bytes
/// from a file, on the same fresh server. Run on demand, in a release build:
///
/// ```
/// SLUICE_RESP_BENCHMARK=1 swift test -c release -Xswiftc -enable-testing --filter RESPBenchmarkTests
/// ```
///
/// `SLUICE_RESP_BENCHMARK_COUNT` changes the number of commands. Prints both times and their ratio.
@Suite(
    "RESP pipeline benchmark",
    .enabled(if: ProcessInfo.processInfo.environment["SLUICE_RESP_BENCHMARK"] != nil),
    .serialized
)
struct RESPBenchmarkTests {
    static let count = ProcessInfo.processInfo.environment["SLUICE_RESP_BENCHMARK_COUNT"].flatMap(Int.init) ?? 1_000_000

    @Test("pipelined SETs against redis-cli --pipe")
    func setsAgainstRedisCLI() async throws {
        let value = ByteBuffer(repeating: UInt8(ascii: "v"), count: 120)
        let commands = (0..<Self.count).lazy.map {
            SetCommand(prefix: "bench:", number: $0, value: value, seconds: 300)
        }
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
                #expect(Int(try server.cli("DBSIZE")) == Self.count)
                try server.cli("FLUSHALL")
                let connection = try await RESPConnection.connect(try .init(url: server.url()))
                var outcome: PipelineOutcome?
                ourTimes.append(try await clock.measure { outcome = try await connection.pipeline(commands: commands) })
                await connection.close()
                #expect(outcome?.succeeded == Self.count)
                #expect(Int(try server.cli("DBSIZE")) == Self.count)
            }
            let cli = cliTimes.min()!
            let ours = ourTimes.min()!
            print("RESP benchmark, \(Self.count) SET … EX 300 (120-byte values), best of 3:")
            print("  redis-cli --pipe: \(cli) (all: \(cliTimes))")
            print("  RESPConnection.pipeline: \(ours) (all: \(ourTimes))")
            print("  ratio ours / redis-cli: \(seconds(ours) / seconds(cli))")
        }
    }
}

private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
