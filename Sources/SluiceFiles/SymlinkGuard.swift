import Sluice

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Refuses symbolic links in the folders the file target writes, deletes or reads in, unless the target URL says
/// `follow_symlinks=true` (``FileOutputOptions/followsSymbolicLinks``).
///
/// A load, `retain` or rollback that followed a link would write or delete outside the folder the user named, so a
/// link is refused in one line naming it and what it points to, before anything is written or deleted. Checked,
/// with one `lstat` each per operation: the target directory as the user named it (not its parents, which are the
/// machine's layout), the table's folder, its `_sluice` and `_sluice/versions` folders and the lock file, and every
/// partition folder the operation writes, deletes or reads in. Data files and manifests are not checked one by
/// one: Sluice never writes into an existing one (a file is written under a temporary name and renamed, which
/// replaces a link rather than writing through it) and deleting one removes the link, not what it points to.
///
/// The check guards against a mistake, not an adversary: a link made between the check and the write is not seen.
struct SymlinkGuard: Sendable {
    /// The target, for the message: `file:/data/lake`.
    let target: String
    /// Whether links are followed: then nothing is checked.
    let follows: Bool

    /// Throws when `path` is a symbolic link. A path that does not exist (yet) passes.
    ///
    /// - Parameter what: what the path is, for the message (`table folder`, `partition folder`).
    /// - Throws: ``Sluice/SluiceError`` (`invalidRequest`) naming the path and the link's destination.
    func check(_ path: String, naming what: String) throws {
        guard !follows, Self.isLink(path) else { return }
        throw SluiceError(
            .invalidRequest,
            "\(target): \(what) \(Self.printable(path)) is a symbolic link (to \(Self.destination(of: path))); "
                + "Sluice does not follow links where it writes, deletes or reads "
                + "(add follow_symlinks=true to the target URL to allow it)"
        )
    }

    /// Checks the target directory `directory`, the table's folder and Sluice's own entries in it.
    func check(table folder: TableFolder, in directory: String) throws {
        try check(directory, naming: "target directory")
        try check(folder.path, naming: "table folder")
        try check(folder.sluiceFolder, naming: "Sluice folder")
        try check(folder.versionsFolder, naming: "versions folder")
        try check(folder.sluiceFolder + "/lock", naming: "lock file")
    }

    /// Checks each folder of the partitions (`year=2025/month=08`) in `root`, each folder once.
    func check(partitions: some Sequence<String>, in root: String) throws {
        guard !follows else { return }
        var checked: Set<String> = []
        for partition in partitions {
            var path = root
            for part in partition.split(separator: "/") {
                path += "/" + part
                guard checked.insert(path).inserted else { continue }
                try check(path, naming: "partition folder")
            }
        }
    }

    /// Checks the partition folders of `files` in the table's folder.
    func check(partitionsOf files: [PartFile], in folder: TableFolder) throws {
        try check(partitions: Set(files.compactMap(\.partition)).sorted(), in: folder.path)
    }

    /// The absolute path `path` as named: empty and `.` components dropped, no link resolved (`standardizingPath`
    /// resolves some), and no trailing `/` (with which `lstat` would look through a link).
    static func named(_ path: String) -> String {
        "/" + path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
    }

    /// Whether `path` is a symbolic link (`lstat`; an error reads as no).
    static func isLink(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFLNK
    }

    /// What the link at `path` points to, as stored (`readlink`), printable on one line.
    static func destination(of path: String) -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBufferPointer { raw in
            raw.baseAddress!.withMemoryRebound(to: CChar.self, capacity: raw.count) { readlink(path, $0, raw.count) }
        }
        guard count >= 0 else { return "an unreadable destination" }
        return printable(String(decoding: buffer[..<count], as: UTF8.self))
    }

    /// `text` with control characters escaped, so that the message stays on one line.
    private static func printable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7f {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
