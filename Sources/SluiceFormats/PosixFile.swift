import Sluice

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thin wrapper over a POSIX file descriptor: the file I/O under readers and writers, errors as ``Sluice/SluiceError``.
struct PosixFile {
    let path: String
    let descriptor: Int32

    /// Opens `path` for reading.
    static func openForReading(_ path: String) throws -> PosixFile {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw PosixFile.error("cannot open \(path)") }
        return PosixFile(path: path, descriptor: descriptor)
    }

    /// Creates (or truncates) `path` for writing.
    static func create(_ path: String) throws -> PosixFile {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw PosixFile.error("cannot create \(path)") }
        return PosixFile(path: path, descriptor: descriptor)
    }

    /// Standard output (never closed).
    static let standardOutput = PosixFile(path: "<stdout>", descriptor: 1)

    /// The file's size in bytes, or `nil` when it has none (a pipe).
    func size() -> Int64? {
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }

    /// Reads up to `buffer.count` bytes; returns 0 at the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = systemRead(descriptor, base, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR { throw PosixFile.error("cannot read \(path)") }
        }
    }

    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var pointer = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let count = systemWrite(descriptor, pointer, remaining)
            if count < 0 {
                if errno == EINTR { continue }
                throw PosixFile.error("cannot write \(path)")
            }
            pointer += count
            remaining -= count
        }
    }

    /// Flushes the file to storage.
    func sync() throws {
        guard fsync(descriptor) == 0 || errno == EINVAL else { throw PosixFile.error("cannot sync \(path)") }
    }

    /// Closes the descriptor.
    func close() {
        _ = systemClose(descriptor)
    }

    /// Renames `from` to `to`, replacing `to`.
    static func rename(_ from: String, to: String) throws {
        guard systemRename(from, to) == 0 else { throw PosixFile.error("cannot rename \(from) to \(to)") }
    }

    /// Removes `path`, ignoring errors.
    static func remove(_ path: String) {
        _ = unlink(path)
    }

    /// An I/O error naming what failed and the system's reason.
    static func error(_ what: String) -> SluiceError {
        let reason = String(cString: strerror(errno))
        return SluiceError(.io, "\(what): \(reason)")
    }
}

private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}

private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

private func systemClose(_ descriptor: Int32) -> Int32 {
    close(descriptor)
}

private func systemRename(_ from: String, _ to: String) -> Int32 {
    rename(from, to)
}
