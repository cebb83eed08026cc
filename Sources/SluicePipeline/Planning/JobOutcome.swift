import Foundation

/// What a job reports when it succeeds: the rows it handled, the version it recorded and one line of detail.
public struct JobResult: Sendable {
    /// Rows loaded, exported, archived or verified (`nil` when the job handles no rows, e.g. retention).
    public var rows: Int?
    /// The data version the job recorded or checked, if any.
    public var versionID: String?
    /// One line for the summary (`2,000 processed: 1,000 inserted, 0 updated`).
    public var summary: String

    /// A result.
    public init(rows: Int? = nil, versionID: String? = nil, summary: String) {
        self.rows = rows
        self.versionID = versionID
        self.summary = summary
    }
}

/// How one job of a run ended.
public struct JobOutcome: Sendable {
    /// ok, failed or skipped.
    public enum Status: String, Sendable, CaseIterable {
        case ok, failed, skipped
    }

    /// The job's name.
    public var name: String
    /// What the job does.
    public var kind: PipelineJob.Kind
    /// How it ended.
    public var status: Status
    /// The result of a job that succeeded.
    public var result: JobResult?
    /// Why it failed (one line, no secrets) or was skipped.
    public var message: String?
    /// When it started and ended (`nil` for a skipped job).
    public var started: Date?
    /// When it ended.
    public var finished: Date?
    /// The jobs that were running at some moment while this one ran.
    public var ranBeside: [String] = []

    /// Seconds from start to end (0 for a skipped job).
    public var duration: Double {
        guard let started, let finished else { return 0 }
        return finished.timeIntervalSince(started)
    }
}
