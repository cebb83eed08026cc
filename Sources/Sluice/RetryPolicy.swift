/// Retries transient failures with exponential backoff and jitter.
///
/// The delay before attempt *n* (counting from 1 for the first retry) is
/// `min(maximumDelay, initialDelay × multiplier^(n-1))`, spread by ±`jitter` (a fraction) at random, so that
/// many loaders retrying together do not hammer the target in step.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included (1 means no retry). Default 5.
    public var maximumAttempts: Int
    /// The first delay, in seconds. Default 0.1.
    public var initialDelay: Double
    /// The longest delay, in seconds. Default 5.
    public var maximumDelay: Double
    /// The growth factor between delays. Default 2.
    public var multiplier: Double
    /// The random spread as a fraction of the delay (0 to 1). Default 0.2.
    public var jitter: Double

    /// Creates a policy; the defaults suit a local database.
    public init(
        maximumAttempts: Int = 5,
        initialDelay: Double = 0.1,
        maximumDelay: Double = 5,
        multiplier: Double = 2,
        jitter: Double = 0.2
    ) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.multiplier = multiplier
        self.jitter = min(max(jitter, 0), 1)
    }

    /// No retries.
    public static let none = RetryPolicy(maximumAttempts: 1)

    /// The delay before retry number `retry` (1-based), before jitter.
    public func baseDelay(forRetry retry: Int) -> Double {
        var delay = initialDelay
        for _ in 1..<max(retry, 1) { delay *= multiplier }
        return min(delay, maximumDelay)
    }

    /// The delay before retry number `retry` with jitter applied.
    public func delay(forRetry retry: Int, using generator: inout some RandomNumberGenerator) -> Double {
        let base = baseDelay(forRetry: retry)
        guard jitter > 0 else { return base }
        return max(0, base * (1 + Double.random(in: -jitter...jitter, using: &generator)))
    }

    /// Runs `operation`, retrying while it throws an error `isTransient` accepts and attempts remain.
    ///
    /// - Parameter onRetry: told the retry number and the error before each wait.
    public func run<Result>(
        isTransient: (any Error) -> Bool = { ($0 as? SluiceError)?.isTransient ?? false },
        onRetry: (Int, any Error) -> Void = { _, _ in },
        _ operation: () async throws -> Result
    ) async throws -> Result {
        var generator = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            do {
                return try await operation()
            } catch {
                guard attempt < maximumAttempts, isTransient(error) else { throw error }
                onRetry(attempt, error)
                let seconds = delay(forRetry: attempt, using: &generator)
                try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                attempt += 1
            }
        }
    }
}
