/// A job's name and dependencies, known even when the rest of the job is invalid, so that every problem across
/// jobs is found in one pass.
struct JobReference {
    var name: String
    var nameLocation: SourceLocation
    var location: SourceLocation
    var dependsOn: [Located<String>]
}

/// Checks across jobs: unique names, `depends_on` naming jobs that exist, and no cycles.
enum DependencyCheck {
    static func problems(_ jobs: [JobReference]) -> [PipelineDiagnostic] {
        var problems: [PipelineDiagnostic] = []
        var first: [String: JobReference] = [:]
        for job in jobs {
            if let earlier = first[job.name] {
                problems.append(
                    PipelineDiagnostic(
                        job.nameLocation,
                        "duplicate job name '\(job.name)' (first used at line \(earlier.nameLocation.line))"
                    )
                )
            } else {
                first[job.name] = job
            }
        }
        let names = jobs.map(\.name)
        for job in jobs {
            for dependency in job.dependsOn {
                if dependency.value == job.name {
                    problems.append(PipelineDiagnostic(dependency.location, "job '\(job.name)' depends on itself"))
                } else if first[dependency.value] == nil {
                    let hint = Suggestion.didYouMean(dependency.value, among: names)
                    problems.append(
                        PipelineDiagnostic(
                            dependency.location,
                            "job '\(job.name)': depends on unknown job '\(dependency.value)'\(hint)"
                        )
                    )
                }
            }
        }
        problems += cycles(jobs, first: first)
        return problems
    }

    /// One diagnostic per dependency cycle, at the `depends_on` entry that closes it.
    private static func cycles(_ jobs: [JobReference], first: [String: JobReference]) -> [PipelineDiagnostic] {
        var state: [String: Int] = [:]  // 1: on the current path, 2: done
        var path: [String] = []
        var problems: [PipelineDiagnostic] = []
        func visit(_ job: JobReference) {
            state[job.name] = 1
            path.append(job.name)
            for dependency in job.dependsOn where dependency.value != job.name {
                guard let next = first[dependency.value] else { continue }
                switch state[next.name] {
                case 1:
                    let cycle = path.drop { $0 != next.name } + [next.name]
                    problems.append(
                        PipelineDiagnostic(
                            dependency.location,
                            "dependency cycle: " + cycle.joined(separator: " -> ")
                        )
                    )
                case nil: visit(next)
                default: break
                }
            }
            path.removeLast()
            state[job.name] = 2
        }
        for job in jobs where state[job.name] == nil && first[job.name]?.location == job.location { visit(job) }
        return problems
    }
}
