import ArgumentParser

/// What every comparison takes: how many times to measure each side.
struct BenchmarkOptions: ParsableArguments {
    @Option(help: "Measurements of each side, alternating ours and the peer's; best and median are reported.")
    var runs = 3

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
    }
}
