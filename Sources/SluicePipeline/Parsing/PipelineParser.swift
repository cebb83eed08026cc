import Foundation
import Sluice

/// Reads a pipeline file into a validated ``Pipeline``, or reports every problem at once, each as
/// `pipeline.yml:LINE:COLUMN: message`.
///
/// Reading touches nothing but the file system's listings (to match `files:` globs): no target is opened.
public struct PipelineParser {
    /// The top-level keys.
    static let topLevelKeys = ["version", "name", "target", "targets", "parallel", "fail_fast", "jobs"]
    /// The target URL schemes a job may name.
    static let schemes = ["sqlite", "postgres", "file", "redis", "rediss"]

    let file: String
    let directory: String
    let environment: EnvironmentExpansion
    let defaultTarget: String
    var diagnostics = Diagnostics()
    var namedTargets: [String: Located<String>] = [:]
    /// Names in `targets:` whose URL was reported already: jobs naming them add no second error.
    var invalidTargets: Set<String> = []
    /// Every named job's name and dependencies, valid or not, for the checks across jobs.
    var references: [JobReference] = []

    /// Reads the file at `path`; relative paths in it are taken from its folder.
    ///
    /// - Parameters:
    ///   - environment: where `${NAME}` comes from (the process's environment).
    ///   - defaultTarget: the target of jobs that give none when the file has no top-level `target:`.
    /// - Throws: ``PipelineError``: `unreadable`, or `invalid` with every problem found.
    public static func load(
        path: String,
        environment: [String: String],
        defaultTarget: String = "sqlite:sluice.sqlite"
    ) throws -> Pipeline {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw PipelineError(unreadable: path, reason: (error as NSError).localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PipelineError(unreadable: path, reason: "not UTF-8 text")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(text, file: path, directory: directory, environment: environment, defaultTarget: defaultTarget)
    }

    /// Reads pipeline `text` named `file`, with relative paths taken from `directory`.
    ///
    /// - Throws: ``PipelineError`` (`invalid`) with every problem found, sorted by line and column.
    public static func parse(
        _ text: String,
        file: String,
        directory: String,
        environment: [String: String],
        defaultTarget: String = "sqlite:sluice.sqlite"
    ) throws -> Pipeline {
        var parser = PipelineParser(
            file: file,
            directory: directory,
            environment: EnvironmentExpansion(environment: environment),
            defaultTarget: defaultTarget
        )
        let pipeline = parser.pipeline(try YAMLDocument.parse(text, file: file))
        guard let pipeline, parser.diagnostics.isEmpty else {
            throw PipelineError(diagnostics: parser.diagnostics.sorted)
        }
        return pipeline
    }

    private mutating func pipeline(_ root: YAMLNode) -> Pipeline? {
        guard let top = fields(root, context: "pipeline", allowed: Self.topLevelKeys) else { return nil }
        if let version = string(top["version"], "version", in: "pipeline"), version.value != "1" {
            diagnostics.error(
                version.location,
                "pipeline: unsupported version '\(version.value)' (this sluice reads version 1)"
            )
        }
        let name = string(top["name"], "name", in: "pipeline")?.value
        let parallel = integer(top, "parallel", in: 1...64) ?? 1
        let failFast = boolean(top, "fail_fast") ?? false
        readTargets(top["targets"])
        let fallback =
            top["target"].flatMap { target($0, field: "target", in: "pipeline") }
            ?? PipelineTarget(url: defaultTarget, location: root.location)
        guard let jobsNode = top["jobs"] else {
            diagnostics.error(root.location, "pipeline: missing 'jobs' (a list of jobs)")
            return nil
        }
        guard case .sequence(let items) = jobsNode.content else {
            diagnostics.error(jobsNode.location, "pipeline: 'jobs' must be a list, found \(jobsNode.kindName)")
            return nil
        }
        if items.isEmpty { diagnostics.error(jobsNode.location, "pipeline: 'jobs' is empty") }
        let jobs = items.enumerated().compactMap { index, item in job(item, index: index, defaultTarget: fallback) }
        diagnostics.append(contentsOf: DependencyCheck.problems(references))
        return Pipeline(name: name, file: file, parallel: parallel, failFast: failFast, jobs: jobs)
    }

    /// `targets:` — names for URLs.
    private mutating func readTargets(_ node: YAMLNode?) {
        guard let node else { return }
        guard let pairs = node.pairs else {
            diagnostics.error(
                node.location,
                "pipeline: 'targets' must be a mapping of names to URLs, found \(node.kindName)"
            )
            return
        }
        for pair in pairs {
            guard let url = string(pair.value, "url", in: "target '\(pair.key)'"),
                checkURL(url, context: "target '\(pair.key)'")
            else {
                invalidTargets.insert(pair.key)
                continue
            }
            namedTargets[pair.key] = url
        }
    }

    /// A job's `target:`/`to:`: a name from `targets:`, or a URL.
    mutating func target(_ node: YAMLNode, field: String, in context: String) -> PipelineTarget? {
        guard let text = string(node, field, in: context) else { return nil }
        if let named = namedTargets[text.value] {
            return PipelineTarget(url: named.value, name: text.value, location: text.location)
        }
        if invalidTargets.contains(text.value) { return nil }
        let looksLikeURL = text.value.contains(":") || text.value.hasSuffix(".sqlite") || text.value.hasSuffix(".db")
        guard looksLikeURL else {
            let hint = Suggestion.didYouMean(text.value, among: Array(namedTargets.keys).sorted())
            diagnostics.error(
                text.location,
                "\(context): unknown target '\(text.value)'\(hint) (a name from 'targets', or a URL)"
            )
            return nil
        }
        guard checkURL(text, context: context) else { return nil }
        return PipelineTarget(url: text.value, location: text.location)
    }

    /// Whether `url` is a target URL of a known scheme; reported otherwise, without repeating the URL (it may
    /// hold a password).
    private mutating func checkURL(_ url: Located<String>, context: String) -> Bool {
        guard let parsed = try? TargetURL(url.value) else {
            diagnostics.error(
                url.location,
                "\(context): not a target URL (expected sqlite:PATH, postgres://…, file:DIR, redis://…)"
            )
            return false
        }
        guard Self.schemes.contains(parsed.scheme) else {
            diagnostics.error(
                url.location,
                "\(context): unsupported target scheme '\(parsed.scheme)' (known: \(Self.schemes.joined(separator: ", ")))"
            )
            return false
        }
        return true
    }
}
