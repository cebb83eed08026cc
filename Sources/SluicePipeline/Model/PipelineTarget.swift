import Sluice

/// A target a job reads or writes: its URL with `${ENV}` expanded (so it may hold a password: never print it;
/// print ``redacted``), where it was written, and the `targets:` name it came through, if any.
public struct PipelineTarget: Sendable, Hashable, CustomStringConvertible {
    /// The URL to open. It may hold a secret.
    public var url: String
    /// The name in the file's `targets:` section, when the job named one.
    public var name: String?
    /// Where the job gave it.
    public var location: SourceLocation

    /// A target.
    public init(url: String, name: String? = nil, location: SourceLocation) {
        self.url = url
        self.name = name
        self.location = location
    }

    /// The URL with any password replaced by `***` (``Sluice/URLRedaction/redacted(_:)``).
    public var redacted: String { URLRedaction.redacted(url) }

    /// What identifies the place the target stores data, for deciding which jobs may run side by side: scheme,
    /// host, port and path, without user, password or options (``Sluice/TargetURL/metricsLabel``); relative paths
    /// of `sqlite:` and `file:` targets are made absolute against `directory`.
    public func identity(relativeTo directory: String) -> String {
        guard let parsed = try? TargetURL(url) else { return url }
        let label = parsed.metricsLabel
        guard parsed.scheme == "sqlite" || parsed.scheme == "file", !parsed.hasAuthority else { return label }
        let path = String(label.dropFirst(parsed.scheme.count + 1))
        return parsed.scheme + ":" + FilePaths.absolute(path, relativeTo: directory)
    }

    /// The redacted URL, with the target's name when it has one.
    public var description: String { name.map { "\($0) (\(redacted))" } ?? redacted }
}
