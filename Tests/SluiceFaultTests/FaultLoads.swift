import Foundation
import SluiceTesting
import Testing

/// Running `sluice load` on a fault table, cleanly or to be killed.
enum FaultLoads {
    /// The `sluice load` arguments of `file` into `table` with `flags`.
    static func arguments(_ file: URL, into table: FaultTable, flags: [String]) -> [String] {
        ["load", file.path, "--into", table.target, "--table", table.table] + flags + table.loadFlags
    }

    /// Loads `file` and throws unless the load succeeds; returns how long it took.
    @discardableResult
    static func load(_ file: URL, into table: FaultTable, flags: [String], in directory: URL) async throws -> Duration {
        let arguments = arguments(file, into: table, flags: flags)
        return try await onThread {
            let started = ContinuousClock.now
            let run = try SluiceProcess.run(arguments, in: directory)
            guard run.status == 0 else {
                throw FaultError("load of \(file.lastPathComponent) into \(table.table) failed: \(run.error)")
            }
            return ContinuousClock.now - started
        }
    }

    /// Runs `arguments` again (a rerun) and returns how it ended.
    static func run(_ arguments: [String], in directory: URL) async throws -> SluiceProcess.Outcome {
        try await onThread { try SluiceProcess.run(arguments, in: directory) }
    }

    /// Starts `arguments`, SIGKILLs the process after `delay` (unless it ended before) and returns how it ended.
    static func killed(
        _ arguments: [String],
        after delay: Duration,
        in directory: URL
    ) async throws
        -> SluiceProcess.Outcome
    {
        let load = try SluiceProcess.start(arguments, in: directory)
        return try await onThread {
            load.kill(after: delay)
            return load.wait()
        }
    }
}

/// The states a faulted load may leave: the table before it (after the first load) and after it (a clean load of
/// the same input into a fresh table), and how long the clean load took.
struct FaultReference {
    let before: TableState
    let after: TableState
    let duration: Duration

    /// Loads `input` cleanly into a fresh table of `bench` and reads both states.
    static func make(_ strategy: FaultStrategy, input: FaultInput, bench: FaultBench) async throws -> FaultReference {
        let table = bench.freshTable("reference_\(strategy)")
        try await FaultLoads.load(input.base, into: table, flags: strategy.baseFlags, in: bench.directory)
        let before = try await TableState.read(table, in: bench.directory)
        let duration = try await FaultLoads.load(input.next, into: table, flags: strategy.flags, in: bench.directory)
        let after = try await TableState.read(table, in: bench.directory)
        guard before.isValid, after.isValid, !before.holdsSameRows(as: after) else {
            throw FaultError("\(bench.target) \(strategy): the reference loads are wrong: \(before) → \(after)")
        }
        return FaultReference(before: before, after: after, duration: duration)
    }
}

/// The references of one bench, made once per strategy.
struct FaultReferences {
    let bench: FaultBench
    private var made: [FaultStrategy: FaultReference] = [:]

    init(bench: FaultBench) { self.bench = bench }

    /// The reference of `strategy` with `input`: made by the first call, then the same.
    mutating func reference(_ strategy: FaultStrategy, input: FaultInput) async throws -> FaultReference {
        if let known = made[strategy] { return known }
        let reference = try await FaultReference.make(strategy, input: input, bench: bench)
        made[strategy] = reference
        return reference
    }
}

/// When a round's SIGKILL strikes, as a share of the clean load's duration: early (reading and the first
/// writes), late (the last writes and the commit), or anywhere.
enum KillMoment: String, CustomStringConvertible {
    case early
    case late
    case anywhere

    init(round: Int) {
        self = [.early, .late, .anywhere][round % 3]
    }

    var description: String { rawValue }

    /// A delay drawn from this moment's share of `duration`.
    func delay(within duration: Duration, using generator: inout SeededGenerator) -> Duration {
        let range: ClosedRange<Double> =
            switch self {
            case .early: 0.05...0.35
            case .late: 0.7...1.0
            case .anywhere: 0.0...1.1
            }
        return duration * Double.random(in: range, using: &generator)
    }
}
