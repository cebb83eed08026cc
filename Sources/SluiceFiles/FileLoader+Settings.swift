import Foundation
import Sluice

/// Table settings in `TABLE/_sluice/settings.json`, rewritten whole and atomically (temporary name, `fsync`,
/// rename, `fsync` of the folder) under the table lock, and removed with the last setting. Readers take no lock:
/// they see the file before or after a change.
extension FileLoader: TableSettings {
    public func settings(table: String) async throws -> [String: String] {
        try TableSettingName.validate(table: table)
        return try SettingsFile(folder: try folder(table)).read()
    }

    public func setSetting(table: String, name: String, value: String?) async throws {
        try TableSettingName.validate(table: table, name: name, value: value)
        let file = SettingsFile(folder: try folder(table))
        // Removing from a table without settings changes nothing, and creates no folder.
        if value == nil && !FileManager.default.fileExists(atPath: file.path) { return }
        try Durability.makeDirectory(directory)
        let lock = try await TableLock.acquire(in: file.folder.sluiceFolder, table: table)
        defer { withExtendedLifetime(lock) {} }
        file.removeTemporaries()
        var settings = try file.read()
        settings[name] = value
        try file.write(settings)
    }

    public func tablesWithSettings() async throws -> [String] {
        try symlinks.check(namedDirectory, naming: "target directory")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return try names.filter { name in
            guard PathComponent.problem(with: name) == nil,
                try !SettingsFile(folder: try TableFolder(root: directory, table: name)).read().isEmpty
            else { return false }
            // A linked table with settings is refused like any other; a link to anything else is no table.
            _ = try folder(name)
            return true
        }.sorted()
    }
}

/// `TABLE/_sluice/settings.json`: `{"formatVersion": 1, "settings": {"name": "value", …}}`, keys sorted.
struct SettingsFile: Sendable {
    /// The format this code writes; a reader refuses a newer one.
    static let currentFormatVersion = 1

    let folder: TableFolder

    var path: String { folder.settingsPath }

    private struct Contents: Codable {
        var formatVersion: Int
        var settings: [String: String]
    }

    /// The settings in the file; empty when there is no file.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`targetFailure`) naming the file when it cannot be decoded or was written by
    ///   a newer Sluice.
    func read() throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            guard FileManager.default.fileExists(atPath: path) else { return [:] }
            throw SluiceError(.io, "\(path): cannot read the table settings")
        }
        let contents: Contents
        do {
            contents = try JSONDecoder().decode(Contents.self, from: data)
        } catch {
            throw SluiceError(.targetFailure, "\(path): the table settings are not valid: \(error)")
        }
        guard contents.formatVersion <= Self.currentFormatVersion else {
            throw SluiceError(
                .targetFailure,
                "\(path): settings format \(contents.formatVersion) is newer than this sluice reads "
                    + "(\(Self.currentFormatVersion)); upgrade sluice"
            )
        }
        return contents.settings
    }

    /// Replaces the file with `settings`, atomically and durably; removes it when `settings` is empty.
    func write(_ settings: [String: String]) throws {
        guard !settings.isEmpty else {
            Files.remove(path)
            try Durability.syncDirectory(folder.sluiceFolder)
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(Contents(formatVersion: Self.currentFormatVersion, settings: settings))
        } catch {
            throw SluiceError(.targetFailure, "table '\(folder.table)': cannot encode the table settings: \(error)")
        }
        try Durability.makeDirectory(folder.sluiceFolder)
        try Durability.writeAtomically(Array(data) + [0x0A], to: path)
    }

    /// Removes temporaries a write that did not finish (a killed process) left behind. Call under the table lock.
    func removeTemporaries() {
        let prefix = "settings.json.tmp-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.sluiceFolder)) ?? []
        for name in names where name.hasPrefix(prefix) { Files.remove(folder.sluiceFolder + "/" + name) }
    }
}
