/// Why a test Redis server or cluster could not be started, stopped or queried.
///
/// The message names the step that failed; ``log`` holds the last lines of the server's log (or of the tool's
/// output), so a failing test shows the server's own reason. Passwords never appear in either.
public struct RedisServerError: Error, CustomStringConvertible, Sendable {
    /// What failed, in one line.
    public let message: String
    /// The last lines of the server log or of the failing tool's output; empty when there is none.
    public let log: String

    /// An error with a one-line `message` and the `log` lines that explain it.
    public init(_ message: String, log: String = "") {
        self.message = message
        self.log = log
    }

    public var description: String {
        log.isEmpty ? message : message + "\n--- last lines of the log ---\n" + log
    }
}
