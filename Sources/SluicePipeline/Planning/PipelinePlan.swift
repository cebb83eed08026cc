/// The order a pipeline's jobs run in and what each waits for: the plan `sluice run --dry-run` prints and the
/// ``PipelineScheduler`` follows.
///
/// Jobs keep their file order, except that a job comes after the jobs it `depends_on`. A job also waits for
/// every earlier job that touches one of its targets (same scheme, host, port and path), so two jobs never
/// write one target side by side; jobs on different targets may run at once, up to ``parallel``.
public struct PipelinePlan: Sendable {
    /// One job in the plan.
    public struct Step: Sendable {
        /// The job.
        public var job: PipelineJob
        /// Its place in the run order, from 1.
        public var position: Int
        /// The jobs it depends on (`depends_on`): it is skipped when one of them fails or is skipped.
        public var dependencies: [String]
        /// The earlier jobs sharing a target with it: it starts after they ended, whatever their outcome.
        public var waitsFor: [String]
        /// Its target group, from 1: jobs in one group share targets (directly or through others) and run one
        /// after the other; different groups may run at once.
        public var group: Int
    }

    /// The jobs in run order.
    public var steps: [Step]
    /// How many jobs may run at once.
    public var parallel: Int
    /// Whether no new job starts after one failed.
    public var failFast: Bool
    /// The pipeline's name, if any.
    public var name: String?
    /// The pipeline file.
    public var file: String

    /// The plan of `pipeline`, with relative target paths taken from `directory`; `parallel` and `failFast`
    /// override the file's settings when given.
    public init(_ pipeline: Pipeline, directory: String, parallel: Int? = nil, failFast: Bool? = nil) {
        self.parallel = max(1, parallel ?? pipeline.parallel)
        self.failFast = failFast ?? pipeline.failFast
        self.name = pipeline.name
        self.file = pipeline.file
        let ordered = Self.order(pipeline.jobs)
        let identities = ordered.map { Set($0.targets.map { $0.identity(relativeTo: directory) }) }
        let groups = Self.groups(identities)
        steps = ordered.enumerated().map { index, job in
            let sharing = (0..<index).filter { !identities[$0].isDisjoint(with: identities[index]) }
            return Step(
                job: job,
                position: index + 1,
                dependencies: job.dependsOn.map(\.value),
                waitsFor: sharing.map { ordered[$0].name },
                group: groups[index]
            )
        }
    }

    /// File order, moving a job after the jobs it depends on (the earliest ready job first).
    static func order(_ jobs: [PipelineJob]) -> [PipelineJob] {
        var remaining = Array(jobs.indices)
        var done = Set<String>()
        var result: [PipelineJob] = []
        while !remaining.isEmpty {
            let next =
                remaining.firstIndex { index in jobs[index].dependsOn.allSatisfy { done.contains($0.value) } }
                ?? 0  // only with a cycle, which validation refuses
            let index = remaining.remove(at: next)
            result.append(jobs[index])
            done.insert(jobs[index].name)
        }
        return result
    }

    /// Group numbers (from 1, in order of first appearance) joining jobs whose target sets overlap.
    static func groups(_ identities: [Set<String>]) -> [Int] {
        var parent = Array(identities.indices)
        func root(_ index: Int) -> Int {
            var index = index
            while parent[index] != index { index = parent[index] }
            return index
        }
        for index in identities.indices {
            for earlier in 0..<index where !identities[earlier].isDisjoint(with: identities[index]) {
                parent[root(index)] = root(earlier)
            }
        }
        var numbers: [Int: Int] = [:]
        return identities.indices.map { index in
            let key = root(index)
            if let number = numbers[key] { return number }
            numbers[key] = numbers.count + 1
            return numbers.count
        }
    }
}
