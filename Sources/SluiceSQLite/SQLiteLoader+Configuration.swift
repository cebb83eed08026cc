import Sluice

extension SQLiteLoader {
    /// How a ``SQLiteLoader`` uses its database. Every default suits a local file loaded by one process.
    public struct Configuration: Sendable, Hashable {
        /// Seconds a statement waits for another connection's lock before failing with `SQLITE_BUSY`
        /// (then a load's `BEGIN IMMEDIATE` is retried with the request's ``Sluice/RetryPolicy``). Default 5.
        public var busyTimeout: Double
        /// The page cache, in KiB (`PRAGMA cache_size`). Default 65,536 (64 MiB): a large load's index pages
        /// stay in memory.
        public var cacheSizeKiB: Int
        /// `PRAGMA synchronous`. Default ``Synchronous/normal``: in WAL mode a commit is durable against
        /// application crashes, and the database is never corrupted by a power loss.
        public var synchronous: Synchronous
        /// Batches read and prepared ahead of the writer, so decoding overlaps with writing. Default 3.
        public var pipelineDepth: Int
        /// Whether tables with a key are created `WITHOUT ROWID` (clustered by the key: one B-tree instead of
        /// a table and an index). Default `true`: measured faster for keyed appends and upserts.
        public var withoutRowID: Bool

        /// The values of `PRAGMA synchronous`.
        public enum Synchronous: String, Sendable, Hashable, CaseIterable {
            case off = "OFF"
            case normal = "NORMAL"
            case full = "FULL"
        }

        /// Creates a configuration; every argument has the documented default.
        public init(
            busyTimeout: Double = 5,
            cacheSizeKiB: Int = 65_536,
            synchronous: Synchronous = .normal,
            pipelineDepth: Int = 3,
            withoutRowID: Bool = true
        ) {
            self.busyTimeout = busyTimeout
            self.cacheSizeKiB = cacheSizeKiB
            self.synchronous = synchronous
            self.pipelineDepth = pipelineDepth
            self.withoutRowID = withoutRowID
        }

        /// The path and configuration of `sqlite:PATH[?busy_timeout=S&cache_size_kib=N&synchronous=normal&
        /// pipeline_depth=N&without_rowid=true]`. `sqlite::memory:` is a private in-memory database.
        public static func parse(_ url: TargetURL) throws -> (path: String, configuration: Configuration) {
            var configuration = Configuration()
            let parts = url.rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            let path = String(parts[0])
            guard !path.isEmpty else { throw SluiceError(.unsupportedTarget, "\(url.redacted): no database path") }
            guard parts.count == 2 else { return (path, configuration) }
            for item in parts[1].split(separator: "&") {
                let pair = item.split(separator: "=", maxSplits: 1).map(String.init)
                let value = pair.count == 2 ? pair[1] : ""
                let invalid = SluiceError(.unsupportedTarget, "\(url.redacted): invalid option '\(item)'")
                switch pair[0] {
                case "busy_timeout":
                    guard let seconds = Double(value), seconds >= 0 else { throw invalid }
                    configuration.busyTimeout = seconds
                case "cache_size_kib":
                    guard let size = Int(value), size > 0 else { throw invalid }
                    configuration.cacheSizeKiB = size
                case "synchronous":
                    guard let mode = Synchronous(rawValue: value.uppercased()) else { throw invalid }
                    configuration.synchronous = mode
                case "pipeline_depth":
                    guard let depth = Int(value), depth > 0 else { throw invalid }
                    configuration.pipelineDepth = depth
                case "without_rowid":
                    guard let flag = Bool(value) else { throw invalid }
                    configuration.withoutRowID = flag
                default:
                    throw SluiceError(.unsupportedTarget, "\(url.redacted): unknown option '\(pair[0])'")
                }
            }
            return (path, configuration)
        }
    }
}
