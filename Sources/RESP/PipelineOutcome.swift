/// What a pipeline's replies said, counted exactly: one reply per command, errors with the command's index.
public struct PipelineOutcome: Sendable {
    /// An error reply and the index (from 0, in the order given) of the command it answered.
    public struct Failure: Sendable, Hashable {
        /// The command's position in the pipeline.
        public var index: Int
        /// The server's error.
        public var error: RESPServerError
    }

    /// Replies received (every command's, once the pipeline finished).
    public private(set) var count = 0
    /// Replies that were not errors.
    public private(set) var succeeded = 0
    /// Error replies.
    public private(set) var failed = 0
    /// Replies that were null (`SET … NX` on an existing key, `GET` of a missing key); counted in ``succeeded``.
    public private(set) var nulls = 0
    /// The first ``maximumErrors`` error replies, in order, with their commands' indexes.
    public private(set) var errors: [Failure] = []
    /// Error replies by their first word (`WRONGTYPE`, `OOM`), all of them.
    public private(set) var failuresByPrefix: [String: Int] = [:]
    /// Every reply in order, if the pipeline was asked to collect them; otherwise empty.
    public private(set) var replies: [RESPValue] = []
    /// The indexes of the commands whose reply was null, ascending, if the pipeline was asked to record them
    /// (`SET … NX` keys that existed, `SET … XX` keys that did not); otherwise empty.
    public private(set) var nullIndexes: [Int] = []
    /// How many errors ``errors`` keeps.
    public let maximumErrors: Int
    private let collectsReplies: Bool
    let recordsNullIndexes: Bool
    /// Whether `MOVED`/`ASK` replies are set apart in ``redirects`` (for a cluster client to resend) instead of
    /// being counted.
    let separatesRedirects: Bool
    /// The redirected commands' indexes and redirects, when ``separatesRedirects``.
    var redirects: [(index: Int, error: RESPServerError)] = []

    init(
        maximumErrors: Int,
        collectsReplies: Bool,
        recordsNullIndexes: Bool = false,
        separatesRedirects: Bool = false
    ) {
        self.maximumErrors = maximumErrors
        self.collectsReplies = collectsReplies
        self.recordsNullIndexes = recordsNullIndexes
        self.separatesRedirects = separatesRedirects
    }

    mutating func record(_ reply: RESPValue, index: Int) {
        if separatesRedirects, case .error(let line) = reply, line.hasPrefix("MOVED ") || line.hasPrefix("ASK ") {
            redirects.append((index, RESPServerError(line)))
            return
        }
        count += 1
        switch reply {
        case .error(let line):
            failed += 1
            let error = RESPServerError(line)
            failuresByPrefix[error.prefix, default: 0] += 1
            if errors.count < maximumErrors { errors.append(Failure(index: index, error: error)) }
        case .null:
            succeeded += 1
            nulls += 1
            if recordsNullIndexes { nullIndexes.append(index) }
        default:
            succeeded += 1
        }
        if collectsReplies { replies.append(reply) }
    }

    /// Adds `other`'s counts and errors, its indexes mapped through `indexes` (for pipelines split across
    /// connections; replies are not merged).
    mutating func merge(_ other: PipelineOutcome, indexes: [Int]) {
        count += other.count
        succeeded += other.succeeded
        failed += other.failed
        nulls += other.nulls
        if recordsNullIndexes {
            nullIndexes = (nullIndexes + other.nullIndexes.map { indexes[$0] }).sorted()
        }
        let mapped = other.errors.map { Failure(index: indexes[$0.index], error: $0.error) }
        errors = Array((errors + mapped).sorted { $0.index < $1.index }.prefix(maximumErrors))
        failuresByPrefix.merge(other.failuresByPrefix, uniquingKeysWith: +)
    }

    /// Counts one reply of a command sent on its own (a redirected one), at `index`.
    mutating func recordResent(_ reply: RESPValue, index: Int) {
        record(reply, index: index)
        errors.sort { $0.index < $1.index }
        nullIndexes.sort()
    }
}
