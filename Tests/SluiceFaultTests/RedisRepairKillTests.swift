import Foundation
import SluiceTesting
import Testing

/// A Redis load SIGKILLed at a seeded moment, then a different load (not a rerun): the later load repairs what the
/// dead one left (docs/RedisTarget.md, "After an unfinished load"), so that afterwards `verify` passes and the
/// independent reader (every key under the table's prefix, on every node) sees exactly the rows the version
/// records — no key of the dead load survives. Seeded like the rest of the fault suite (docs/FaultSuite.md).
@Suite("Redis: a killed load, then a different load", .serialized)
struct RedisRepairKillTests {
    /// The load that follows the killed one: the table's first input again, as a replace or as an upsert.
    enum Follower: String, CustomStringConvertible {
        case replaceWithBase = "replace with the first input"
        case upsertOfBase = "upsert of the first input"

        var description: String { rawValue }

        var flags: [String] {
            switch self {
            case .replaceWithBase: FaultStrategy.replace.flags
            case .upsertOfBase: FaultStrategy.upsert.flags
            }
        }
    }

    @Test(
        "after a killed load, a different load leaves a table that verifies and holds no key of the dead load",
        arguments: [FaultTarget.redis, .redisCluster]
    )
    func killedThenDifferent(target: FaultTarget) async throws {
        let bench = try await FaultBench.make(target)
        var generator = FaultPlan.generator(for: "repair-\(target)")
        let killedStrategies: [FaultStrategy] = [.upsert, .replace, .incremental]
        var references = FaultReferences(bench: bench)
        for round in 0..<FaultPlan.rounds {
            let strategy = killedStrategies[round % killedStrategies.count]
            let follower: Follower = round % 2 == 0 ? .replaceWithBase : .upsertOfBase
            let input = try FaultInput(strategy, rows: target.rows, in: bench.directory)
            let reference = try await references.reference(strategy, input: input)
            let moment = KillMoment(round: round)
            let delay = moment.delay(within: reference.duration, using: &generator)
            let context =
                "\(target) \(strategy) killed \(moment) after \(delay), then \(follower), round \(round) — "
                + FaultPlan.replay
            try await Self.round(strategy, follower, input: input, reference: reference, delay: delay, bench, context)
        }
    }

    static func round(
        _ strategy: FaultStrategy,
        _ follower: Follower,
        input: FaultInput,
        reference: FaultReference,
        delay: Duration,
        _ bench: FaultBench,
        _ context: String
    ) async throws {
        let table = bench.freshTable("repair_\(strategy)")
        try await FaultLoads.load(input.base, into: table, flags: strategy.baseFlags, in: bench.directory)
        let killed = try await FaultLoads.killed(
            FaultLoads.arguments(input.next, into: table, flags: strategy.flags),
            after: delay,
            in: bench.directory
        )
        #expect([0, 137].contains(killed.status), "exit \(killed.status): \(killed.error) — \(context)")
        let recorded = try await TableState.read(table, in: bench.directory).versionChecksum
        #expect(
            [reference.before.versionChecksum, reference.after.versionChecksum].contains(recorded),
            "after the kill the version is neither the first nor the killed load's — \(context)"
        )

        let next = try await FaultLoads.run(
            FaultLoads.arguments(input.base, into: table, flags: follower.flags),
            in: bench.directory
        )
        #expect(next.status == 0, "the load after the kill: \(next.error) — \(context)")
        let final = try await TableState.read(table, in: bench.directory)
        #expect(final.isValid, "after the load that followed the kill: \(final) — \(context)")
        // The independent reader counts every key under the table's prefix: a key of the dead load would show.
        #expect(
            final.digest?.hasPrefix("\(final.rows) rows,") == true,
            "keys besides the version's rows: \(final) — \(context)"
        )
        // Onto the first version, either follower gives back the first input; after the killed load's version, a
        // replace still does.
        if recorded == reference.before.versionChecksum || follower == .replaceWithBase {
            #expect(final.holdsSameRows(as: reference.before), "\(final); expected \(reference.before) — \(context)")
        }
    }
}
