import Foundation
import Sluice

/// Files in a table's folder that no manifest lists: data files of a load that did not finish (killed, failed,
/// crashed before its manifest) and temporaries. Removed under the table lock, by the next load and by
/// `optimize`.
enum FileLeftovers {
    /// The relative paths of the leftovers in `folder`.
    static func find(in folder: TableFolder, store: ManifestStore) throws -> [String] {
        var listed: Set<String> = []
        for manifest in try store.all() { listed.formUnion(manifest.files.map(\.path)) }
        return folder.dataFiles().filter { !listed.contains($0) }
    }

    /// Removes the leftovers, manifest temporaries and the spill folders of keyed loads that did not finish in
    /// `folder`; returns how many went.
    @discardableResult
    static func remove(in folder: TableFolder, store: ManifestStore) throws -> Int {
        let leftovers = try find(in: folder, store: store)
        for path in leftovers { Files.remove(folder.absolute(path)) }
        let temporaries = ((try? FileManager.default.contentsOfDirectory(atPath: folder.versionsFolder)) ?? [])
            .filter { $0.contains(".tmp-") }
        for name in temporaries { Files.remove(folder.versionsFolder + "/" + name) }
        let spills = ((try? FileManager.default.contentsOfDirectory(atPath: folder.sluiceFolder)) ?? [])
            .filter { $0.hasPrefix(StagingSpill.folderPrefix) }
        for name in spills { Files.remove(folder.sluiceFolder + "/" + name) }
        return leftovers.count + temporaries.count + spills.count
    }
}
