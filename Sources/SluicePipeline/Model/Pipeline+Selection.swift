extension Pipeline {
    /// The pipeline with only the jobs named in `names` (`sluice run --only`), to rerun part of a run.
    ///
    /// A selected job's `depends_on` entries that name unselected jobs are dropped: those jobs are taken as done.
    ///
    /// - Throws: ``PipelineError`` (`invalid`) naming a job the file does not have.
    public func selecting(_ names: [String]) throws -> Pipeline {
        let known = jobs.map(\.name)
        for name in names where !known.contains(name) {
            let hint = Suggestion.didYouMean(name, among: known)
            throw PipelineError(message: "\(file): --only: no job named '\(name)'\(hint)")
        }
        var selected = self
        selected.jobs = jobs.filter { names.contains($0.name) }.map { job in
            var job = job
            job.dependsOn = job.dependsOn.filter { names.contains($0.value) }
            return job
        }
        return selected
    }
}
