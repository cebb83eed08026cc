import Sluice
import SluiceFormats

/// A `kind: load` job: files into a table, with a strategy — what `sluice load` does.
///
/// The job's target URL already carries the file target's writing options (`format`, `compression`, `level`,
/// `file_mb`) and the Redis target's key and TTL options (`namespace`, `ttl`, `ttl_rule`, …) as URL options.
public struct LoadJob: Sendable {
    /// The `files:` entries as written: paths and globs.
    public var patterns: [Located<String>]
    /// The files they matched when the pipeline was read, sorted within each entry, without repeats.
    public var files: [String]
    /// The table to load into.
    public var table: String
    /// The key columns (`key:`), empty for none.
    public var key: [String] = []
    /// The strategy (`strategy:`); `nil` is the CLI's default: upsert with a key, else append.
    public var strategy: LoadingStrategy?
    /// The cursor column of an incremental load.
    public var cursor: String?
    /// What insert-only does with existing keys.
    public var onConflict: ConflictPolicy = .fail
    /// Under incremental: delete keys the input no longer has.
    public var deleteMissing = false
    /// Load even when the same input was loaded before.
    public var force = false
    /// Record before-images for diff and rollback (`history:`, default true).
    public var recordsHistory = true
    /// A JSON schema file (`schema:`).
    public var schemaFile: Located<String>?
    /// Rejected rows tolerated (`max_errors:`, default 0).
    public var maxErrors = 0
    /// Where rejected rows go (`reject_file:`).
    public var rejectFile: String?
    /// Built-in validators (`validate:`).
    public var validators: [ValidatorSpec] = []
    /// Secondary indexes (`indexes:`), each a list of columns.
    public var indexes: [[String]] = []
    /// Time partitioning of a new table (`partition_by:`).
    public var partitioning: Partitioning?
    /// How the files are read (`input:`); schema and key are filled in when the job runs.
    public var readOptions = ReadOptions()
    /// The target's options this job sets (`format=parquet`, `ttl=300`, …), already added to the job's target URL.
    public var targetOptions: [(name: String, value: String)] = []

    /// A load of `files` into `table`.
    public init(patterns: [Located<String>], files: [String], table: String) {
        self.patterns = patterns
        self.files = files
        self.table = table
    }
}
