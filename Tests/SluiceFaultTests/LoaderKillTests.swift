import Foundation
import SluiceTesting
import Testing

/// `sluice load` SIGKILLed at random moments, on every target: afterwards the table holds the state before the
/// load or the state after it, never anything in between; a rerun of the same load completes and lands exactly
/// once. Seeded (`SLUICE_FAULT_SEED`), sized by `SLUICE_FAULT_ROUNDS`; every failure message ends with the line
/// that replays it. See docs/FaultSuite.md.
@Suite("Loader killed mid-load (SIGKILL)", .serialized)
struct LoaderKillTests {
    @Test(
        "a killed load leaves the before- or after-state; a rerun lands exactly once",
        arguments: FaultTarget.allCases
    )
    func killedLoads(target: FaultTarget) async throws {
        let bench = try await FaultBench.make(target)
        var generator = FaultPlan.generator(for: "loader-\(target)")
        var references = FaultReferences(bench: bench)
        for round in 0..<FaultPlan.rounds {
            let strategies = FaultStrategy.allCases
            let strategy = strategies[(target.firstStrategy + round) % strategies.count]
            let input = try FaultInput(strategy, rows: target.rows, in: bench.directory)
            let reference = try await references.reference(strategy, input: input)
            let moment = KillMoment(round: round)
            let delay = moment.delay(within: reference.duration, using: &generator)
            let context =
                "\(target) \(strategy), round \(round): SIGKILL \(moment) after \(delay) — \(FaultPlan.replay)"
            try await Self.killRound(strategy, input: input, reference: reference, delay: delay, bench: bench, context)
        }
    }

    /// One round: a fresh table with the first load, the next load killed after `delay`, the state checked, the load
    /// run again (twice for append) and the state checked again.
    static func killRound(
        _ strategy: FaultStrategy,
        input: FaultInput,
        reference: FaultReference,
        delay: Duration,
        bench: FaultBench,
        _ context: String
    ) async throws {
        let table = bench.freshTable("round_\(strategy)")
        try await FaultLoads.load(input.base, into: table, flags: strategy.baseFlags, in: bench.directory)
        let arguments = FaultLoads.arguments(input.next, into: table, flags: strategy.flags)
        let outcome = try await FaultLoads.killed(arguments, after: delay, in: bench.directory)
        // 137: killed; 0: the load had finished (or was finishing) when the kill came.
        #expect([0, 137].contains(outcome.status), "exit \(outcome.status): \(outcome.error) — \(context)")

        let state = try await TableState.read(table, in: bench.directory)
        let (before, after) = (reference.before, reference.after)
        if bench.target.isTransactional {
            #expect(state.isValid, "after the kill: \(state) — \(context)")
            #expect(
                state.holdsSameRows(as: before) || state.holdsSameRows(as: after),
                "after the kill: \(state); before: \(before); after: \(after) — \(context)"
            )
        } else {
            // Redis: the version record is written last; the data is complete whenever it is there.
            #expect(
                [before.versionChecksum, after.versionChecksum].contains(state.versionChecksum),
                "after the kill: \(state); before: \(before); after: \(after) — \(context)"
            )
            if state.versionChecksum == after.versionChecksum {
                #expect(state.isValid && state.holdsSameRows(as: after), "\(state) — \(context)")
            }
        }

        // The rerun lands exactly once: the multiset checksum and the digest count every row, so a row written twice
        // shows. An append's second rerun must change nothing, not even the version.
        var versions: [String?] = []
        for attempt in 1...(strategy == .append ? 2 : 1) {
            let rerun = try await FaultLoads.run(arguments, in: bench.directory)
            #expect(rerun.status == 0, "rerun \(attempt): \(rerun.error) — \(context)")
            let final = try await TableState.read(table, in: bench.directory)
            #expect(final.isValid, "after rerun \(attempt): \(final) — \(context)")
            #expect(final.holdsSameRows(as: after), "after rerun \(attempt): \(final); expected \(after) — \(context)")
            versions.append(final.versionID)
        }
        #expect(Set(versions).count == 1, "a second append rerun made a new version: \(versions) — \(context)")
    }
}
