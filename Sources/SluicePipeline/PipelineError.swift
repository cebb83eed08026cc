/// The error of the SluicePipeline module: a pipeline file that cannot be read, or that is not valid.
///
/// An invalid file carries every problem found, each as `pipeline.yml:LINE:COLUMN: message`; ``description``
/// lists them one a line. No message holds the value of an environment variable.
public struct PipelineError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        public var description: String { name }

        /// The file could not be read.
        public static let unreadable = Code(name: "unreadable")
        /// The file was read and is not a valid pipeline: see ``PipelineError/diagnostics``.
        public static let invalid = Code(name: "invalid")
    }

    /// What kind of failure.
    public var code: Code
    /// The problems, sorted by line and column.
    public var diagnostics: [PipelineDiagnostic]
    /// The message of an unreadable file.
    public var message: String

    /// An invalid pipeline with these problems.
    public init(diagnostics: [PipelineDiagnostic]) {
        self.code = .invalid
        self.diagnostics = diagnostics
        self.message = "\(diagnostics.count) problem\(diagnostics.count == 1 ? "" : "s") in the pipeline file"
    }

    /// An invalid request about a valid file (`--only` naming no job), as one message.
    public init(message: String) {
        self.code = .invalid
        self.diagnostics = []
        self.message = message
    }

    /// A file that could not be read.
    public init(unreadable path: String, reason: String) {
        self.code = .unreadable
        self.diagnostics = []
        self.message = "\(path): cannot read the pipeline file (\(reason))"
    }

    /// The problems one a line, or the message when there are none.
    public var description: String {
        diagnostics.isEmpty ? message : diagnostics.map(\.description).joined(separator: "\n")
    }
}
