import Sluice

extension FileLoader {
    /// The rows of the files that version `versionID` of `table` wrote, read back from disk: for an append, exactly
    /// the rows it appended. Each file's size and SHA-256 are checked against the version's manifest before it is
    /// read, so a damaged file fails here rather than passing as fewer rows.
    ///
    /// - Throws: ``Sluice/SluiceError`` naming the table, the version or the file.
    public func readBack(table: String, writtenBy versionID: String) async throws -> RecordStream {
        let folder = try folder(table)
        let manifest: Manifest
        do {
            manifest = try ManifestStore(folder: folder).manifest(versionID)
        } catch {
            throw SluiceError(.notFound, "table '\(table)' has no version \(versionID) in \(target)", underlying: error)
        }
        let schema = manifest.version.schema
        let files = manifest.files.filter { $0.writtenBy == versionID }
        try symlinks.check(partitionsOf: files, in: folder)
        for file in files {
            let path = folder.absolute(file.path)
            guard Files.size(path) != nil else {
                throw SluiceError(.io, "\(path): missing (written by version \(versionID) of table '\(table)')")
            }
            let (sha256, bytes) = try Files.sha256(path)
            guard bytes == file.bytes, sha256 == file.sha256 else {
                throw SluiceError(
                    .io,
                    "\(path): \(bytes) bytes with SHA-256 \(sha256); the manifest of version \(versionID) says "
                        + "\(file.bytes) bytes with SHA-256 \(file.sha256)"
                )
            }
        }
        return Self.stream(of: files, in: folder, schema: schema)
    }
}
