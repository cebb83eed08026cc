import Foundation
import SluiceTesting

/// The targets the fault suite kills loads of.
enum FaultTarget: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite
    case postgres
    case parquet
    case csvGzip = "csv.gz"
    case redis
    case redisCluster = "redis-cluster"

    var description: String { rawValue }

    /// Rows per input file: enough that a debug-build load takes about a second, so that kills land in every phase.
    var rows: Int {
        switch self {
        case .redisCluster: 8_000
        default: 10_000
        }
    }

    /// The strategy of the target's first round (an index into ``FaultStrategy/allCases``); later rounds take the
    /// next ones. Chosen so that three rounds kill every strategy on the SQL, file and Redis targets alike.
    var firstStrategy: Int {
        switch self {
        case .sqlite: 0
        case .postgres: 1
        case .parquet: 2
        case .csvGzip: 3
        case .redis: 3
        case .redisCluster: 1
        }
    }

    /// `sluice load` flags that choose the data files of a file target.
    var writingFlags: [String] {
        switch self {
        case .parquet: ["--format", "parquet", "--compression", "zstd"]
        case .csvGzip: ["--format", "csv", "--compression", "gzip"]
        default: []
        }
    }

    /// Whether the target keeps a load atomic (SQL transactions, manifests). Redis has no transaction that spans a
    /// bulk load (DESIGN §3, §6): its version is written last, so a killed load leaves the version before, but
    /// keys it had written until a rerun (docs/RedisTarget.md).
    var isTransactional: Bool { self != .redis && self != .redisCluster }
}
