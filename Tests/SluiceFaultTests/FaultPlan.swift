import Foundation

/// The fault suite's seed and size, from the environment, so that a failure can be replayed:
///
/// - `SLUICE_FAULT_SEED=N` — the seed every random choice derives from (default: a random one, printed);
/// - `SLUICE_FAULT_ROUNDS=N` — kills per target in the loader suite (default 2; each round the next strategy,
///   from the target's ``FaultTarget/firstStrategy``).
enum FaultPlan {
    /// The suite's seed.
    static let seed: UInt64 = {
        if let text = ProcessInfo.processInfo.environment["SLUICE_FAULT_SEED"], let seed = UInt64(text) {
            return seed
        }
        return UInt64.random(in: 1...999_999_999)
    }()

    /// Kills per target.
    static let rounds: Int = {
        let text = ProcessInfo.processInfo.environment["SLUICE_FAULT_ROUNDS"] ?? ""
        return Int(text).map { max(1, $0) } ?? 2
    }()

    /// The line that replays a run: it ends every failure message.
    static var replay: String { "replay: SLUICE_FAULT_SEED=\(seed) SLUICE_FAULT_ROUNDS=\(rounds)" }

    /// A generator for one test, derived from the seed and the test's name: tests that run side by side draw
    /// independently, and each replays alone.
    static func generator(for name: String) -> SeededGenerator {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return SeededGenerator(seed: seed ^ hash)
    }
}

/// SplitMix64: a small, fast generator whose sequence depends only on its seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
