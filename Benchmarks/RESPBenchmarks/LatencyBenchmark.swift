import ArgumentParser
import NIOCore
import RESP
import SluiceTesting

/// `latency`: COUNT `SET key v` (120-byte value) then COUNT `GET key`, one command at a time on one connection
/// through `RESPConnection.send` (from the cooperative pool, and from the connection's event loop), against
/// `redis-benchmark -t set,get -c 1 -P 1 -d 120` on the same server.
struct LatencyBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency",
        abstract: "Single-command latency (p50, p99, p99.9, mean) of RESPConnection.send against redis-benchmark."
    )

    /// redis-benchmark's key when no `-r` is given (the placeholder is left as it is): both sides hit one key.
    static let key = "key:__rand_int__"
    static let valueSize = 120
    static let tests = ["SET", "GET"]
    static let peer = "redis-benchmark"

    @Option(help: "Commands of each kind (SET, then GET) per run.")
    var count = 100_000

    @OptionGroup var options: BenchmarkOptions

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
    }

    func run() async throws {
        try await Self.compare(count: count, runs: options.runs)
    }

    /// Every run measures each placement of ours, then redis-benchmark; the figures are per test and side.
    static func compare(count: Int, runs: Int) async throws {
        try await withRedisServer { server in
            let peerArguments = RedisBenchmarkReport.arguments(
                host: server.host,
                port: server.port,
                tests: tests.map { $0.lowercased() },
                count: count,
                valueSize: valueSize
            )
            emit("latency: \(count) SET then \(count) GET, \(valueSize)-byte value, one connection, no pipelining")
            emit("peer: redis-benchmark \(peerArguments.joined(separator: " ")); \(MachineState.describe())")
            let ours = SingleCommandLatency(
                url: server.url(),
                key: key,
                value: ByteBuffer(repeating: UInt8(ascii: "x"), count: valueSize),
                count: count
            )
            var figures: [String: [String: [LatencySummary]]] = [:]
            for run in 1...runs {
                for placement in TaskPlacement.allCases {
                    try server.cli("FLUSHALL")
                    let (set, get) = try await ours.measure(placement)
                    guard Int(try server.cli("STRLEN", key)) == valueSize else {
                        throw BenchmarkFailure("the SETs left no \(valueSize)-byte value")
                    }
                    figures["SET", default: [:]][placement.label, default: []].append(set)
                    figures["GET", default: [:]][placement.label, default: []].append(get)
                }
                try server.cli("FLUSHALL")
                let report = try RedisBenchmarkReport.run(peerArguments)
                for test in tests {
                    guard let theirs = report.latencies[test] else {
                        throw BenchmarkFailure("redis-benchmark printed no \(test) summary")
                    }
                    figures[test, default: [:]][peer, default: []].append(theirs)
                    let sides = ([peer] + TaskPlacement.allCases.map(\.label)).map { side in
                        "\(side) \(figures[test]![side]!.last!.text)"
                    }
                    emit("run \(run) \(test) (ms): " + sides.joined(separator: " | "))
                }
                emit("run \(run) done: \(MachineState.describe())")
            }
            for test in tests { summarise(test, figures[test]!) }
        }
    }

    private static func summarise(_ test: String, _ sides: [String: [LatencySummary]]) {
        for (name, pick) in [("best", LatencySummary.best), ("median", LatencySummary.median)] {
            let theirs = pick(sides[peer]!)
            emit("\(test) \(name) of \(sides[peer]!.count) (ms): \(peer) \(theirs.text)")
            for placement in TaskPlacement.allCases {
                let mine = pick(sides[placement.label]!)
                emit("\(test) \(name) (ms): \(placement.label) \(mine.text)")
                emit("\(test) \(name) ratio \(placement.label)/\(peer): \(mine.ratio(to: theirs).text)")
            }
        }
        let median = LatencySummary.median(sides[TaskPlacement.cooperativePool.label]!).p50
        let verdict = median < 0.1 ? "met" : "missed"
        emit("\(test) goal p50 < 0.1 ms (send): \(verdict) (median p50 \(Measurements.format(median)) ms)")
    }
}
