/// One side's single-command latencies, in milliseconds: the percentiles the benchmark compares.
struct LatencySummary {
    var p50: Double
    var p99: Double
    var p999: Double
    var mean: Double

    /// Percentiles by nearest rank over the sorted samples (nanoseconds), and their mean.
    init(nanoseconds samples: [Int64]) {
        let sorted = samples.sorted()
        func percentile(_ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let rank = Int((fraction * Double(sorted.count)).rounded(.up))
            return Double(sorted[min(max(rank, 1), sorted.count) - 1]) / 1e6
        }
        p50 = percentile(0.50)
        p99 = percentile(0.99)
        p999 = percentile(0.999)
        mean = sorted.isEmpty ? 0 : Double(sorted.reduce(0, +)) / Double(sorted.count) / 1e6
    }

    init(p50: Double, p99: Double, p999: Double, mean: Double) {
        self.p50 = p50
        self.p99 = p99
        self.p999 = p999
        self.mean = mean
    }

    /// Each figure's best (lowest) over `runs`.
    static func best(_ runs: [LatencySummary]) -> LatencySummary {
        combine(runs) { $0.min() ?? 0 }
    }

    /// Each figure's median over `runs`.
    static func median(_ runs: [LatencySummary]) -> LatencySummary {
        combine(runs, Measurements.median)
    }

    /// Ours over `peer`, figure by figure.
    func ratio(to peer: LatencySummary) -> LatencySummary {
        LatencySummary(p50: p50 / peer.p50, p99: p99 / peer.p99, p999: p999 / peer.p999, mean: mean / peer.mean)
    }

    /// `p50=0.041 p99=0.090 p99.9=0.312 mean=0.045`.
    var text: String {
        [("p50", p50), ("p99", p99), ("p99.9", p999), ("mean", mean)]
            .map { "\($0.0)=\(Measurements.format($0.1))" }
            .joined(separator: " ")
    }

    private static func combine(_ runs: [LatencySummary], _ pick: ([Double]) -> Double) -> LatencySummary {
        LatencySummary(
            p50: pick(runs.map(\.p50)),
            p99: pick(runs.map(\.p99)),
            p999: pick(runs.map(\.p999)),
            mean: pick(runs.map(\.mean))
        )
    }
}
