import Foundation
import Sluice
import SluiceRedis
import SluiceTesting
import Testing

/// Loads that meet a failing server: killed and restarted mid-load, and a cluster whose slots move mid-load.
/// The retry completes, the counts are exact, and nothing is duplicated or lost.
@Suite("Redis faults during a load", .serialized)
struct RedisFaultTests {
    /// `count` batches of 500 rows, symbols `S<batch>`, one date per row.
    static func batches(_ count: Int) throws -> [RecordBatch] {
        try (0..<count).map { batch in
            try RecordBatch(
                schema: PriceRows.schema,
                rows: (0..<500).map { row in
                    PriceRows.row(
                        "S\(batch)",
                        CivilDate(daysSinceEpoch: Int32(19_000 + row)).description,
                        "\(batch).\(1000 + row)"
                    )
                },
                source: "prices.csv"
            )
        }
    }

    /// A stream of `batches` that runs `hook` before handing out batch `at`.
    static func stream(_ batches: [RecordBatch], at: Int, _ hook: @escaping @Sendable () -> Void) -> RecordStream {
        RecordStream(schema: PriceRows.schema, source: "prices.csv") {
            var next = 0
            return {
                defer { next += 1 }
                if next == at { hook() }
                return next < batches.count ? batches[next] : nil
            }
        }
    }

    static var patientRetry: RetryPolicy { RetryPolicy(maximumAttempts: 10, initialDelay: 0.2, maximumDelay: 1) }

    @Test("the server killed mid-load and restarted: the load retries and completes exactly once")
    func serverKilled() async throws {
        try await withRedisServer(.init(settings: ["appendonly yes", "appendfsync always"])) { server in
            let url = server.url() + "?namespace=fault"
            let batches = try Self.batches(40)
            try await withLoader(url, factories: [RedisLoader.factory]) { loader in
                let first = try await loader.load(
                    RecordStream(schema: PriceRows.schema, source: "prices.csv", batches: Array(batches[0..<10])),
                    request: LoadRequest(table: "prices", strategy: .upsert, keyColumns: PriceRows.key)
                )
                #expect(first.metrics.recordsInserted == 5_000)
                let stream = Self.stream(batches, at: 20) {
                    server.kill()
                    Thread.detachNewThread {
                        Thread.sleep(forTimeInterval: 0.5)
                        try? server.start()
                    }
                }
                var request = LoadRequest(table: "prices", strategy: .upsert, keyColumns: PriceRows.key)
                request.retry = Self.patientRetry
                let result = try await loader.load(stream, request: request)
                #expect(result.metrics.recordsInserted == 15_000)
                #expect(result.metrics.recordsSkipped == 5_000)
                #expect(result.metrics.retries > 0)
                let verification = try await loader.verify(table: "prices")
                #expect(verification.isValid, "\(verification)")
                #expect(verification.actualRecordCount == 20_000)
            }
            let keys = try server.cli("--scan", "--pattern", "fault:prices:*").split(separator: "\n")
            #expect(keys.count == 20_000)
        }
    }

    @Test("a cluster load follows MOVED and ASK while slots move, and loses no key")
    func clusterReshard() async throws {
        try await withRedisCluster { cluster in
            let seed = cluster.nodes[0]
            let url = seed.url() + "?cluster=true&namespace=cl"
            let from = try seed.cli("CLUSTER", "MYID")
            let to = try cluster.nodes[1].cli("CLUSTER", "MYID")
            let batches = try Self.batches(40)
            let reshard = ReshardRun()
            let stream = Self.stream(batches, at: 4) {
                reshard.start {
                    try seed.cli([
                        "--cluster", "reshard", "\(seed.host):\(seed.port)", "--cluster-from", from, "--cluster-to", to,
                        "--cluster-slots", "3000", "--cluster-yes",
                    ])
                }
            }
            var request = LoadRequest(table: "prices", strategy: .upsert, keyColumns: PriceRows.key)
            request.retry = Self.patientRetry
            try await withLoader(url, factories: [RedisLoader.factory]) { loader in
                let result = try await loader.load(stream, request: request)
                #expect(result.metrics.recordsInserted == 20_000)
                try await reshard.wait()
                let verification = try await loader.verify(table: "prices")
                #expect(verification.isValid, "\(verification)")
            }
            var total = 0
            for node in cluster.nodes {
                total += try node.cli("--scan", "--pattern", "cl:prices:*").split(separator: "\n").count
            }
            #expect(total == 20_000)
        }
    }
}

/// `redis-cli --cluster reshard` on a thread of its own, beside the load.
final class ReshardRun: @unchecked Sendable {
    private let lock = NSLock()
    private var finished = false
    private var failure: (any Error)?

    func start(_ body: @escaping @Sendable () throws -> Void) {
        Thread.detachNewThread {
            var failure: (any Error)?
            do { try body() } catch { failure = error }
            self.lock.withLock {
                self.failure = failure
                self.finished = true
            }
        }
    }

    /// Waits (without blocking a thread of the cooperative pool) until the reshard ended; throws its error.
    func wait() async throws {
        while !lock.withLock({ finished }) { try await Task.sleep(for: .milliseconds(100)) }
        if let failure = lock.withLock({ failure }) { throw failure }
    }
}
