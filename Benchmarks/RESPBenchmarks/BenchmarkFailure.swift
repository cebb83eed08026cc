/// A benchmark that could not measure what it set out to (too few keys loaded, a tool missing or unreadable).
struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
