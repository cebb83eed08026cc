/// One job of a pipeline: its name, what it does, the targets it touches and the jobs it waits for.
public struct PipelineJob: Sendable {
    /// What a job does.
    public enum Kind: String, Sendable, CaseIterable {
        /// Load files into a target (`sluice load`).
        case load
        /// Copy a table to another target, usually files (`sluice export`).
        case export
        /// Move old rows to files, verified, then delete them (`sluice archive`).
        case archive
        /// Remove a file target table's old versions (`sluice retain`).
        case retain
        /// Check a table against its latest version's checksum (`sluice verify`).
        case verify
    }

    /// A job's settings, by kind.
    public enum Action: Sendable {
        case load(LoadJob)
        case export(ExportJob)
        case archive(ArchiveJob)
        case retain(RetainJob)
        case verify(VerifyJob)
    }

    /// The job's unique name.
    public var name: String
    /// Where the name is written.
    public var nameLocation: SourceLocation
    /// Where the job starts in the file.
    public var location: SourceLocation
    /// The target the job works on (for an export or archive: the source).
    public var target: PipelineTarget
    /// What the job does.
    public var action: Action
    /// The jobs that must succeed before this one runs (`depends_on:`).
    public var dependsOn: [Located<String>]

    /// A job.
    public init(
        name: String,
        location: SourceLocation,
        target: PipelineTarget,
        action: Action,
        dependsOn: [Located<String>] = []
    ) {
        self.name = name
        self.nameLocation = location
        self.location = location
        self.target = target
        self.action = action
        self.dependsOn = dependsOn
    }

    /// What the job does.
    public var kind: Kind {
        switch action {
        case .load: .load
        case .export: .export
        case .archive: .archive
        case .retain: .retain
        case .verify: .verify
        }
    }

    /// Every target the job touches: its target, and an export's destination or an archive's folder.
    public var targets: [PipelineTarget] {
        switch action {
        case .export(let export): [target, export.destination]
        case .archive(let archive): [target, archive.archive]
        case .load, .retain, .verify: [target]
        }
    }

    /// The job's table.
    public var table: String {
        switch action {
        case .load(let load): load.table
        case .export(let export): export.table
        case .archive(let archive): archive.table
        case .retain(let retain): retain.table
        case .verify(let verify): verify.table
        }
    }
}
