import Foundation
import Sluice

/// Reads and publishes the manifests of one table.
struct ManifestStore: Sendable {
    let folder: TableFolder

    /// The manifest of `versionID`.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`targetFailure`) naming the file when it cannot be read or decoded, or
    ///   was written by a newer Sluice.
    func manifest(_ versionID: String) throws -> Manifest {
        let path = folder.manifestPath(versionID)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SluiceError(.io, "\(path): cannot read the manifest")
        }
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: data)
        } catch {
            throw SluiceError(.targetFailure, "\(path): the manifest is not valid: \(error)")
        }
        guard manifest.formatVersion <= Manifest.currentFormatVersion else {
            throw SluiceError(
                .targetFailure,
                "\(path): manifest format \(manifest.formatVersion) is newer than this sluice reads "
                    + "(\(Manifest.currentFormatVersion)); upgrade sluice"
            )
        }
        return manifest
    }

    /// The latest manifest: the table's current state; `nil` when the table does not exist.
    func latest() throws -> Manifest? {
        guard let id = folder.versionIDs().last else { return nil }
        return try manifest(id)
    }

    /// Every manifest, oldest first.
    func all() throws -> [Manifest] {
        try folder.versionIDs().map(manifest)
    }

    /// Publishes `manifest`: written under a temporary name, synced, renamed, and its folder synced. Once this
    /// returns, the version is durable and is the table's current state.
    func publish(_ manifest: Manifest) throws {
        try Durability.makeDirectory(folder.versionsFolder)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(manifest)
        } catch {
            throw SluiceError(.targetFailure, "table '\(folder.table)': cannot encode the manifest: \(error)")
        }
        try Durability.writeAtomically(Array(data) + [0x0A], to: folder.manifestPath(manifest.version.id))
    }
}
