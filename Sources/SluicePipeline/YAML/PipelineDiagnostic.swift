/// One problem found in a pipeline file, at a place in it.
public struct PipelineDiagnostic: Sendable, Hashable, CustomStringConvertible {
    /// Where the problem is.
    public var location: SourceLocation
    /// What is wrong, on one line; never the value of an environment variable.
    public var message: String

    /// A problem at `location`.
    public init(_ location: SourceLocation, _ message: String) {
        self.location = location
        self.message = message
    }

    /// `pipeline.yml:LINE:COLUMN: message`.
    public var description: String { "\(location): \(message)" }
}

/// The problems found so far, in the order they were found.
struct Diagnostics {
    private(set) var all: [PipelineDiagnostic] = []

    /// Whether nothing was found.
    var isEmpty: Bool { all.isEmpty }

    mutating func error(_ location: SourceLocation, _ message: String) {
        all.append(PipelineDiagnostic(location, message))
    }

    mutating func append(contentsOf other: [PipelineDiagnostic]) { all += other }

    /// The problems sorted by place (line, then column), without repeats.
    var sorted: [PipelineDiagnostic] {
        var seen = Set<PipelineDiagnostic>()
        return all.filter { seen.insert($0).inserted }.enumerated().sorted { left, right in
            let (a, b) = (left.element.location, right.element.location)
            return (a.line, a.column, left.offset) < (b.line, b.column, right.offset)
        }.map(\.element)
    }
}
