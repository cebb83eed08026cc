/// A validated pipeline file: settings and jobs, in the order the file gives them.
///
/// Make one with ``PipelineParser/parse(_:file:environment:fileSystem:)``; every value has been checked and
/// every `${ENV}` reference expanded.
public struct Pipeline: Sendable {
    /// The file's `name:`, if any.
    public var name: String?
    /// The file, as given.
    public var file: String
    /// How many jobs may run at once (`parallel:`, default 1: one after the other).
    public var parallel: Int
    /// Whether to start no new job after one failed (`fail_fast:`, default false).
    public var failFast: Bool
    /// The jobs, in file order.
    public var jobs: [PipelineJob]

    /// A pipeline.
    public init(name: String?, file: String, parallel: Int = 1, failFast: Bool = false, jobs: [PipelineJob]) {
        self.name = name
        self.file = file
        self.parallel = parallel
        self.failFast = failFast
        self.jobs = jobs
    }
}
