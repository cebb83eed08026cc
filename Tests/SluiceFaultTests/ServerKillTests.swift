import Foundation
import SluiceTesting
import Testing

/// The server SIGKILLed in the middle of a `sluice load` and restarted on the same port and data: the loader ends
/// with success or a one-line error (never a crash or a hang), the table holds the before- or after-state, and a
/// rerun lands exactly once. PostgreSQL: the postmaster and every backend killed at once (the library-level tests
/// in SluicePostgresTests cover `pg_ctl stop -m immediate` under append and upsert). Redis: with its append-only
/// file (`appendfsync always`), a single server and one primary of a cluster.
@Suite("Server killed and restarted mid-load", .serialized)
struct ServerKillTests {
    @Test(
        "PostgreSQL killed mid-load and restarted: before or after, then exactly once",
        arguments: [FaultStrategy.replace, .incremental]
    )
    func postgres(strategy: FaultStrategy) async throws {
        try await withPostgresServer { server in
            let bench = try await FaultBench.make(.postgres, postgres: server)
            // Found by this test: a load reading the table (replace) or its row hashes (incremental) when the whole
            // server died could hang for good, in postgres-nio 1.33.2's async row stream (docs/FaultSuite.md, bug
            // 4). Sluice now reads through the EventLoopFuture API, which meets the socket's end as an error.
            try await Self.crashRound(strategy, bench: bench) {
                try server.crash()
            } restart: {
                try server.start()
            }
        }
    }

    @Test(
        "Redis killed mid-load and restarted from its append-only file: before or after, then exactly once",
        arguments: [FaultStrategy.append, .replace]
    )
    func redis(strategy: FaultStrategy) async throws {
        try await withRedisServer(.init(settings: ["appendonly yes", "appendfsync always"])) { server in
            let bench = try await FaultBench.make(.redis, redis: [server])
            try await Self.crashRound(strategy, bench: bench) {
                server.kill()
            } restart: {
                try server.start()
            }
        }
    }

    @Test(
        "a Redis Cluster primary killed mid-load and restarted: before or after, then exactly once",
        arguments: [FaultStrategy.upsert]
    )
    func redisClusterNode(strategy: FaultStrategy) async throws {
        let cluster = try await onThread { try RedisCluster.start(settings: ["appendonly yes", "appendfsync always"]) }
        do {
            let bench = try await FaultBench.make(.redisCluster, redis: cluster.nodes)
            var generator = FaultPlan.generator(for: "cluster-node-\(strategy)")
            let node = cluster.nodes[Int.random(in: 0..<cluster.nodes.count, using: &generator)]
            try await Self.crashRound(strategy, bench: bench) {
                node.kill()
            } restart: {
                try node.start()
                try Self.waitForClusterState(cluster)
            }
        } catch {
            try? await onThread { cluster.discard() }
            throw error
        }
        try? await onThread { cluster.discard() }
    }

    /// A reference load, then a fresh table whose next load meets `crash` after a seeded delay and `restart` a
    /// moment later; then the checks of the loader's end, the state, and two reruns.
    static func crashRound(
        _ strategy: FaultStrategy,
        bench: FaultBench,
        crash: @escaping @Sendable () throws -> Void,
        restart: @escaping @Sendable () throws -> Void
    ) async throws {
        var generator = FaultPlan.generator(for: "server-\(bench.target)-\(strategy)")
        let input = try FaultInput(strategy, rows: bench.target.rows, in: bench.directory)
        let reference = try await FaultReference.make(strategy, input: input, bench: bench)
        let delay = reference.duration * Double.random(in: 0.2...0.8, using: &generator)
        let pause = Duration.milliseconds(Int.random(in: 200...1000, using: &generator))
        let context =
            "\(bench.target) \(strategy): server killed after \(delay), restarted \(pause) later — "
            + FaultPlan.replay

        let table = bench.freshTable("crash_\(strategy)")
        try await FaultLoads.load(input.base, into: table, flags: strategy.baseFlags, in: bench.directory)
        let arguments = FaultLoads.arguments(input.next, into: table, flags: strategy.flags)
        let load = try SluiceProcess.start(arguments, in: bench.directory)
        try await Task.sleep(for: delay)
        try await onThread(crash)
        try await Task.sleep(for: pause)
        try await onThread(restart)
        // A loader that has not ended 30 s after the restart hangs (a load here takes about a second); it is killed,
        // and the checks below hold for a killed loader too.
        let (outcome, hung) = try await onThread { load.end(within: .seconds(30)) }
        if hung {
            Issue.record(
                "the loader hung after the server came back; its last output: \(outcome.error.suffix(2000)) — \(context)"
            )
        } else {
            let errorLines = outcome.error.split(separator: "\n")
            #expect(
                outcome.status == 0
                    || (outcome.status == 1 && errorLines.count == 1 && errorLines[0].hasPrefix("error: ")),
                "the loader ended with \(outcome.status): \(outcome.error) — \(context)"
            )
        }

        let state = try await TableState.read(table, in: bench.directory)
        let (before, after) = (reference.before, reference.after)
        if state.versionChecksum == after.versionChecksum {
            #expect(state.isValid && state.holdsSameRows(as: after), "\(state); expected \(after) — \(context)")
        } else if bench.target.isTransactional {
            #expect(state.isValid, "after the crash: \(state) — \(context)")
            #expect(
                state.holdsSameRows(as: before) || state.holdsSameRows(as: after),
                "after the crash: \(state); before: \(before); after: \(after) — \(context)"
            )
        } else {
            #expect(
                [before.versionChecksum].contains(state.versionChecksum),
                "after the crash: \(state); before: \(before); after: \(after) — \(context)"
            )
        }

        // Twice: the first rerun lands the load (or changes nothing if it had committed), the second changes nothing.
        var versions: [String?] = []
        for attempt in 1...2 {
            let rerun = try await FaultLoads.run(arguments, in: bench.directory)
            #expect(rerun.status == 0, "rerun \(attempt): \(rerun.error) — \(context)")
            let final = try await TableState.read(table, in: bench.directory)
            #expect(final.isValid && final.holdsSameRows(as: after), "rerun \(attempt): \(final) — \(context)")
            versions.append(final.versionID)
        }
        #expect(Set(versions).count == 1, "the second rerun made a new version: \(versions) — \(context)")
    }

    /// Polls until every node reports `cluster_state:ok` (30 s at most: a precondition, not a measured result).
    static func waitForClusterState(_ cluster: RedisCluster) throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let states = cluster.nodes.map { (try? $0.cli("CLUSTER", "INFO")) ?? "" }
            if states.allSatisfy({ $0.contains("cluster_state:ok") }) { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw FaultError("the cluster did not return to cluster_state:ok within 30 s of the restart")
    }
}
