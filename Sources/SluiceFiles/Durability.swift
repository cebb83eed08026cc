import Foundation
import Sluice

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file-system steps that make the file target crash-safe: `fsync` of a folder (so a rename in it is
/// durable) and the atomic write of a small file (temporary name, `fsync`, rename, `fsync` of the folder).
enum Durability {
    /// Makes the entries of `directory` (files created or renamed in it) durable.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`io`) naming the folder.
    static func syncDirectory(_ directory: String) throws {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { throw failure("cannot open the folder", directory) }
        defer { _ = close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("cannot sync the folder", directory) }
    }

    /// Writes `bytes` to `path` atomically and durably: readers see the old file (or none) or the whole new one.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".tmp-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("cannot create", temporary) }
        var written = 0
        let ok = bytes.withUnsafeBytes { raw -> Bool in
            while written < raw.count {
                let result = write(descriptor, raw.baseAddress! + written, raw.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += result
            }
            return fsync(descriptor) == 0
        }
        _ = close(descriptor)
        guard ok else {
            unlink(temporary)
            throw failure("cannot write", temporary)
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw failure("cannot rename into place", path)
        }
        try syncDirectory((path as NSString).deletingLastPathComponent)
    }

    /// Creates `directory` and its missing parents, each made durable in its own parent.
    static func makeDirectory(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw failure("is not a folder", directory) }
            return
        }
        let parent = (directory as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != directory { try makeDirectory(parent) }
        if mkdir(directory, 0o755) != 0 && errno != EEXIST { throw failure("cannot create the folder", directory) }
        try syncDirectory(parent.isEmpty ? "." : parent)
    }

    static func failure(_ what: String, _ path: String) -> SluiceError {
        SluiceError(.io, "\(path): \(what): \(String(cString: strerror(errno)))")
    }
}
