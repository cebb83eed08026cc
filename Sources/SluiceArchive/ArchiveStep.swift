/// The steps of an archive run, in order. Each is durable before the next begins, so a run killed anywhere resumes
/// from the last one that finished.
public enum ArchiveStep: String, Sendable, Encodable, CaseIterable {
    /// The selected rows were written to the archive table as one version.
    case written
    /// That version's files were read back: their rows' count and checksum equal the rows selected.
    case verified
    /// The same rows were deleted from the source table in one step that recorded a version.
    case deleted
}
