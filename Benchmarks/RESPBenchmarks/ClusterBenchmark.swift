import ArgumentParser
import Foundation
import NIOCore
import RESP
import SluiceTesting

/// `cluster`: COUNT `SET price:SYM:DATE <json> EX 300` through `RESPClusterClient.pipeline` on a three-primary
/// cluster, and the same commands through `RESPConnection.pipeline` on one standalone server; ops/s and the ratio.
///
/// The servers share the machine's cores with each other and with the client: on two cores a cluster cannot show
/// the scaling it would on three machines; the figure measures routing and splitting overhead more than scale-out.
struct ClusterBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Bulk SET … EX through RESPClusterClient.pipeline (3 primaries) against one node's pipeline."
    )

    @Option(help: "Commands per run.")
    var count = 1_000_000

    @OptionGroup var options: BenchmarkOptions

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
    }

    func run() async throws {
        try await Self.compare(count: count, runs: options.runs)
    }

    static func compare(count: Int, runs: Int) async throws {
        let commands = PriceCommand.batch(count: count)
        let bytes = commands.reduce(0) { $0 + $1.key.readableBytes + $1.value.readableBytes } / max(count, 1)
        try await withRedisCluster { cluster in
            try await withRedisServer { single in
                emit("cluster: \(count) SET price:SYM:DATE <json> EX 300 (key + value \(bytes) bytes on average)")
                emit(
                    "servers: 3 cluster primaries (no replicas) and 1 standalone node on loopback, sharing "
                        + "\(ProcessInfo.processInfo.activeProcessorCount) cores with each other and the client: "
                        + "with fewer cores than servers the cluster cannot scale out here, so the ratio shows "
                        + "routing and splitting cost more than scale"
                )
                emit("machine: \(MachineState.describe())")
                var clusterTimes: [Double] = []
                var singleTimes: [Double] = []
                for run in 1...runs {
                    clusterTimes.append(try await timeCluster(commands, on: cluster))
                    singleTimes.append(try await timeSingle(commands, on: single))
                    let (clustered, alone) = (Double(count) / clusterTimes.last!, Double(count) / singleTimes.last!)
                    emit(
                        "run \(run): cluster_ops_per_second=\(Int(clustered)) single_ops_per_second=\(Int(alone))"
                            + " ratio=\(Measurements.format(clustered / alone)) \(MachineState.describe())"
                    )
                }
                report(count: count, cluster: clusterTimes, single: singleTimes)
            }
        }
    }

    private static func timeCluster(_ commands: [PriceCommand], on cluster: RedisCluster) async throws -> Double {
        for node in cluster.nodes { try node.cli("FLUSHALL") }
        let configuration = RESPClient.Configuration(connection: try .init(url: cluster.nodes[0].url()))
        let (seconds, outcome) = try await withRESPClusterClient(configuration) { client in
            _ = try await client.topology()
            let start = ContinuousClock.now
            let outcome = try await client.pipeline(commands: commands)
            return (Measurements.seconds(start.duration(to: .now)), outcome)
        }
        let keys = try cluster.nodes.reduce(0) { $0 + (Int(try $1.cli("DBSIZE")) ?? 0) }
        guard outcome.succeeded == commands.count, keys == commands.count else {
            throw BenchmarkFailure("the cluster pipeline stored \(keys) of \(commands.count) keys")
        }
        return seconds
    }

    private static func timeSingle(_ commands: [PriceCommand], on server: RedisServer) async throws -> Double {
        try server.cli("FLUSHALL")
        let (seconds, outcome) = try await timedPipeline(commands, url: server.url())
        guard outcome.succeeded == commands.count, Int(try server.cli("DBSIZE")) == commands.count else {
            throw BenchmarkFailure("the single-node pipeline stored too few keys")
        }
        return seconds
    }

    private static func report(count: Int, cluster: [Double], single: [Double]) {
        let picks: [(name: String, pick: ([Double]) -> Double)] = [
            ("best", { $0.min() ?? 0 }), ("median", Measurements.median),
        ]
        for (name, pick) in picks {
            let (clustered, alone) = (Double(count) / pick(cluster), Double(count) / pick(single))
            emit(
                "\(name) of \(cluster.count): cluster_ops_per_second=\(Int(clustered))"
                    + " single_ops_per_second=\(Int(alone)) cluster/single=\(Measurements.format(clustered / alone))"
            )
        }
    }
}
