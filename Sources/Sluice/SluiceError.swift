/// The one error type of the Sluice core and its targets: a code, a one-line message that names the file, line
/// and column (or table and key), and the underlying error.
///
/// The message never contains a password; it contains row values only where they are the problem being
/// reported (the field that failed to parse, the conflicting key).
public struct SluiceError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        public var description: String { name }

        /// Malformed input: broken quoting, invalid UTF-8, a truncated stream, a JSON syntax error.
        public static let malformedInput = Code(name: "malformed-input")
        /// More rows were rejected than the load allows.
        public static let tooManyRejects = Code(name: "too-many-rejects")
        /// The data does not fit the table (incompatible type change, missing column).
        public static let schemaMismatch = Code(name: "schema-mismatch")
        /// An insert-only load met keys that already exist.
        public static let keyConflict = Code(name: "key-conflict")
        /// A key column is missing, NULL or empty, or appears twice under insert-only.
        public static let invalidKey = Code(name: "invalid-key")
        /// The request itself is wrong (an unknown strategy, a cursor column that does not exist, …).
        public static let invalidRequest = Code(name: "invalid-request")
        /// The target URL has an unknown scheme or cannot be parsed.
        public static let unsupportedTarget = Code(name: "unsupported-target")
        /// The target failed (database error, disk full, …).
        public static let targetFailure = Code(name: "target-failure")
        /// A file could not be opened, read or written.
        public static let io = Code(name: "io")
        /// A transient failure that may succeed when retried (busy database, dropped connection).
        public static let transient = Code(name: "transient")
        /// The table does not exist, or has no versions.
        public static let notFound = Code(name: "not-found")
        /// The table changed under an operation that expected a given latest version (``LoadRequest/expectedLatestVersionID``).
        public static let versionConflict = Code(name: "version-conflict")
    }

    /// What kind of failure this is.
    public var code: Code
    /// One line, naming where: `prices.csv:12:18: column 'close': expected decimal(18,4), found "abc"`.
    public var message: String
    /// The error that caused this one, if any.
    public var underlying: (any Error & Sendable)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { message }

    /// Whether retrying the operation may succeed.
    public var isTransient: Bool { code == .transient }
}
