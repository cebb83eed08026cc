import Foundation

/// Helpers for turning clock readings into the figures the benchmarks print.
enum Measurements {
    /// `duration` in seconds.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// `duration` in nanoseconds (a latency sample).
    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }

    /// The middle value (the mean of the two middle ones for an even count); 0 for none.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// `value` with `digits` decimals.
    static func format(_ value: Double, digits: Int = 3) -> String {
        String(format: "%.\(digits)f", value)
    }
}

/// What else the machine was doing: the benchmarks share two cores with whatever runs beside them.
enum MachineState {
    /// `load=1.23,0.80,0.50 cores=2` from `/proc/loadavg` (Linux) and the active processor count.
    static func describe() -> String {
        let loads = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?
            .split(separator: " ").prefix(3).joined(separator: ",")
        return "load=\(loads ?? "unknown") cores=\(ProcessInfo.processInfo.activeProcessorCount)"
    }
}
