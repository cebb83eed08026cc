/// Bounds on what the reply decoder accepts, so a broken or hostile stream fails instead of exhausting memory.
public struct RESPLimits: Sendable, Hashable {
    /// The longest bulk string, in bytes. Default 512 MiB (Redis's own `proto-max-bulk-len`).
    public var maximumBulkLength: Int
    /// How deeply aggregates (arrays, maps, sets, pushes) may nest. Default 32.
    public var maximumDepth: Int
    /// The most elements one aggregate may announce. Default 1 << 24.
    public var maximumAggregateCount: Int
    /// The longest line of a simple string, error, number or length, in bytes. Default 64 KiB.
    public var maximumLineLength: Int

    /// The defaults, unless told otherwise.
    public init(
        maximumBulkLength: Int = 512 << 20,
        maximumDepth: Int = 32,
        maximumAggregateCount: Int = 1 << 24,
        maximumLineLength: Int = 64 << 10
    ) {
        self.maximumBulkLength = maximumBulkLength
        self.maximumDepth = maximumDepth
        self.maximumAggregateCount = maximumAggregateCount
        self.maximumLineLength = maximumLineLength
    }
}
