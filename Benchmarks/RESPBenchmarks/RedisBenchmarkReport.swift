import Foundation
import SluiceTesting

/// What `redis-benchmark` measured, per test (`SET`, `GET`): the peer of the latency benchmark.
///
/// It runs without `--csv` because only the full report has the 99.9th percentile: p50, p99 and the mean come
/// from each test's "latency summary", p99.9 from its "Latency by percentile distribution" (the first line at or
/// past 99.9%). redis-benchmark keeps an HDR histogram (3 significant digits); our samples are exact.
struct RedisBenchmarkReport {
    var latencies: [String: LatencySummary]

    /// `redis-benchmark -h HOST -p PORT -t TESTS -n COUNT -c 1 -P 1 -d SIZE --precision 3`: one connection, one
    /// command at a time.
    static func arguments(host: String, port: Int, tests: [String], count: Int, valueSize: Int) -> [String] {
        [
            "-h", host, "-p", "\(port)", "-t", tests.joined(separator: ","), "-n", "\(count)", "-c", "1", "-P", "1",
            "-d", "\(valueSize)", "--precision", "3",
        ]
    }

    /// Runs redis-benchmark and reads its report.
    static func run(_ arguments: [String]) throws -> RedisBenchmarkReport {
        let outcome: SluiceProcess.Outcome
        do {
            outcome = try SluiceProcess.runTool(
                "redis-benchmark",
                arguments,
                in: FileManager.default.temporaryDirectory
            )
        } catch {
            throw BenchmarkFailure(
                "cannot run redis-benchmark (bash scripts/install-system-deps.sh redis-tools): \(error)"
            )
        }
        guard outcome.status == 0 else {
            throw BenchmarkFailure("redis-benchmark failed (exit \(outcome.status)): \(outcome.error.suffix(500))")
        }
        return RedisBenchmarkReport(latencies: try parse(outcome.output))
    }

    /// The summary of each `====== NAME ======` section of a full (not `--csv`, not `-q`) report.
    static func parse(_ output: String) throws -> [String: LatencySummary] {
        var latencies: [String: LatencySummary] = [:]
        var section: String?
        var p999: Double?
        var header: [Substring]?
        for line in output.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let fields = line.split(separator: " ")
            if fields.count == 3, fields[0] == "======", fields[2] == "======" {
                (section, p999, header) = (String(fields[1]), nil, nil)
            } else if p999 == nil, let percentile = percentileLine(fields), percentile.percent >= 99.9 {
                p999 = percentile.milliseconds
            } else if fields.contains("avg"), fields.contains("p50") {
                header = fields
            } else if let names = header, let name = section, fields.count == names.count {
                let figures = Dictionary(uniqueKeysWithValues: zip(names, fields.map { Double($0) }))
                guard let p50 = figures["p50"] ?? nil, let p99 = figures["p99"] ?? nil,
                    let mean = figures["avg"] ?? nil, let p999
                else { throw BenchmarkFailure("cannot read redis-benchmark's \(name) summary: \(line)") }
                latencies[name] = LatencySummary(p50: p50, p99: p99, p999: p999, mean: mean)
                header = nil
            }
        }
        return latencies
    }

    /// `99.902% <= 11.815 milliseconds (cumulative count 19981)` as (99.902, 11.815).
    private static func percentileLine(_ fields: [Substring]) -> (percent: Double, milliseconds: Double)? {
        guard fields.count >= 4, fields[0].hasSuffix("%"), fields[1] == "<=", fields[3] == "milliseconds",
            let percent = Double(fields[0].dropLast()), let value = Double(fields[2])
        else { return nil }
        return (percent, value)
    }
}
