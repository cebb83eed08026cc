import Foundation
import Sluice

/// Where one table of the file target lives, and what is in it:
///
/// ```
/// DIR/prices/                                   the table (its name checked by PathComponent)
///   _sluice/lock                                the table lock (TableLock)
///   _sluice/settings.json                       the table's settings, if any (SettingsFile)
///   _sluice/versions/<version-id>.json          one manifest per version (Manifest)
///   year=2025/month=08/part-<version>-0.parquet data files, in partition folders when partitioned
///   part-<version>-0.csv.zst                    or directly in the table's folder when not
/// ```
struct TableFolder: Sendable {
    /// The table's name.
    let table: String
    /// The table's folder: `DIR/TABLE`.
    let path: String
    /// How symbolic links under the folder are treated (``FileLoader`` sets it); `nil` for a folder of Sluice's
    /// own making (a keyed load's spill), which is not checked.
    var symlinks: SymlinkGuard?

    /// The folder of `table` under the target directory `root`.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`invalidRequest`) when the name would leave `root`.
    init(root: String, table: String) throws {
        self.table = try PathComponent.checked(table, naming: "table name")
        self.path = root + "/" + table
    }

    /// `TABLE/_sluice`: Sluice's own files of the table.
    var sluiceFolder: String { path + "/_sluice" }
    /// `TABLE/_sluice/versions`: the manifests.
    var versionsFolder: String { sluiceFolder + "/versions" }

    /// `TABLE/_sluice/settings.json`: the table's settings.
    var settingsPath: String { sluiceFolder + "/settings.json" }

    /// The manifest file of `versionID`.
    func manifestPath(_ versionID: String) -> String { versionsFolder + "/" + versionID + ".json" }

    /// The absolute path of a file a manifest lists.
    func absolute(_ relative: String) -> String { path + "/" + relative }

    /// The ids of the table's versions with a manifest, oldest first (UUIDv7 ids sort by time).
    func versionIDs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: versionsFolder)) ?? []
        return names.compactMap { name in
            guard name.hasSuffix(".json"), !name.contains(".tmp-") else { return nil }
            return String(name.dropLast(5))
        }.sorted()
    }

    /// Whether the table exists: it has at least one manifest.
    var exists: Bool { !versionIDs().isEmpty }

    /// The relative paths of every data file and leftover temporary in the table's folder (outside `_sluice`).
    func dataFiles() -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if relative == "_sluice" {
                enumerator.skipDescendants()
                continue
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: absolute(relative), isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                files.append(relative)
            }
        }
        return files.sorted()
    }

    /// The tables under the target directory `root`: folders with a `_sluice/versions` folder holding a manifest.
    static func tables(in root: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.filter { name in
            guard PathComponent.problem(with: name) == nil, let folder = try? TableFolder(root: root, table: name)
            else { return false }
            return folder.exists
        }.sorted()
    }
}
