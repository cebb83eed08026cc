import Crypto
import Foundation
import Sluice

/// Small file-system helpers of the file target.
enum Files {
    /// Removes the file at `path`; a missing file is not an error.
    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The size of the file at `path`, or `nil` when there is none.
    static func size(_ path: String) -> Int64? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        return (attributes[.size] as? NSNumber)?.int64Value
    }

    /// The modification time of the file at `path`.
    static func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    /// The SHA-256 (lowercase hex) and size of the file at `path`, read in 1 MiB pieces.
    static func sha256(_ path: String) throws -> (hex: String, bytes: Int64) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SluiceError(.io, "\(path): cannot open the file")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        var total: Int64 = 0
        while true {
            let data: Data?
            do {
                data = try handle.read(upToCount: 1 << 20)
            } catch {
                throw SluiceError(.io, "\(path): cannot read: \(error)")
            }
            guard let data, !data.isEmpty else { break }
            hasher.update(data: data)
            total += Int64(data.count)
        }
        let hex = hasher.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        return (hex, total)
    }

    /// Syncs the folders holding `relativePaths` in `folder`, and the table's folder, so that files renamed into
    /// them are durable before a manifest names them.
    static func syncFolders(of relativePaths: [String], in folder: TableFolder) throws {
        var folders: Set<String> = [folder.path]
        for path in relativePaths {
            var parent = (path as NSString).deletingLastPathComponent
            while !parent.isEmpty {
                folders.insert(folder.absolute(parent))
                parent = (parent as NSString).deletingLastPathComponent
            }
        }
        for path in folders.sorted() { try Durability.syncDirectory(path) }
    }
}
