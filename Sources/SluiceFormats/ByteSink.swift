/// Where written bytes go: a file (written under a temporary name, renamed on ``finish()``) or standard output.
public protocol ByteSink: AnyObject {
    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Completes the output: syncs and renames a file into place. Nothing may be written after.
    func finish() throws
    /// Gives the output up: a file's temporary is removed, the destination is left as it was.
    func abandon()
}

/// Writes a file atomically: to `PATH.tmp-XXXX` first, synced and renamed to `PATH` on ``finish()``.
public final class FileSink: ByteSink {
    /// The destination path.
    public let path: String
    private let temporaryPath: String
    private let file: PosixFile
    private let syncs: Bool
    private var isDone = false

    /// Creates the temporary file next to `path`.
    ///
    /// - Parameter syncs: whether ``finish()`` syncs the file before renaming it (default); scratch files that
    ///   do not outlive the process skip it.
    public init(path: String, syncs: Bool = true) throws {
        self.path = path
        self.syncs = syncs
        temporaryPath = path + ".tmp-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        file = try PosixFile.create(temporaryPath)
    }

    deinit { abandon() }

    /// Writes `bytes` to the temporary file.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try file.write(bytes)
    }

    /// Syncs the temporary file and renames it to ``path``.
    public func finish() throws {
        guard !isDone else { return }
        isDone = true
        do {
            if syncs { try file.sync() }
            file.close()
            try PosixFile.rename(temporaryPath, to: path)
        } catch {
            PosixFile.remove(temporaryPath)
            throw error
        }
    }

    /// Closes and removes the temporary file.
    public func abandon() {
        guard !isDone else { return }
        isDone = true
        file.close()
        PosixFile.remove(temporaryPath)
    }
}

/// Writes to standard output.
public final class StandardOutputSink: ByteSink {
    /// A sink for the process's standard output.
    public init() {}

    /// Writes `bytes` to standard output.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try PosixFile.standardOutput.write(bytes)
    }

    /// Nothing to complete.
    public func finish() throws {}

    /// Nothing to remove: what was written is out.
    public func abandon() {}
}

/// Collects written bytes in memory; for tests and small outputs.
public final class MemorySink: ByteSink {
    /// Everything written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty sink.
    public init() {}

    /// Keeps `bytes`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        self.bytes.append(contentsOf: bytes)
    }

    /// Nothing to complete.
    public func finish() throws {}

    /// Forgets everything written.
    public func abandon() { bytes.removeAll() }
}
