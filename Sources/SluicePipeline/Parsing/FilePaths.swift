import Foundation

/// Paths in a pipeline file: relative ones are taken from the pipeline file's folder.
enum FilePaths {
    /// `path` made absolute against `directory` (unchanged when already absolute), with `.` and `..` resolved.
    static func absolute(_ path: String, relativeTo directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : (directory.hasSuffix("/") ? directory : directory + "/") + path
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }

    /// Whether `path` names an existing regular file (or a FIFO), following links.
    static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
