import Sluice
import SluiceFormats

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fuzzer's input as a file, read through the same public entry points as `FileSource.open`.
///
/// The file readers (and Parquet's footer-first reads) work on paths, so each input is written to one file per
/// process, in `/dev/shm` when it exists (no disk I/O), and read back. Errors thrown by the readers are expected;
/// only crashes, AddressSanitizer reports and hangs are bugs.
public enum FuzzInput {
    /// Writes `bytes` to this process's scratch file ending in `.fileExtension` and returns its path.
    public static func scratchFile(_ bytes: UnsafeRawBufferPointer, fileExtension: String) -> String {
        let path = "\(directory)/sluice-fuzz-\(getpid()).\(fileExtension)"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        precondition(descriptor >= 0, "cannot create \(path)")
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            precondition(written > 0 || errno == EINTR, "cannot write \(path)")
            offset += max(written, 0)
        }
        return path
    }

    /// Reads `path` to the end as `FileSource.open` would: the schema (given or inferred), then every batch.
    ///
    /// - Returns: the rows read, or `nil` when the reader threw.
    @discardableResult
    public static func readAll(_ path: String, options: ReadOptions) -> Int? {
        do {
            let schema = try FileSource.schema(of: path, options: options)
            var reader = try FileSource.reader(path: path, schema: schema, options: options)
            var rows = 0
            while let batch = try reader.next() { rows += batch.count + batch.rejects.count }
            return rows
        } catch {
            return nil
        }
    }

    /// Options that make small inputs cross every boundary: tiny read chunks (records span window refills),
    /// small batches, and inference over only the first rows.
    public static func smallOptions(format: FileFormat?) -> ReadOptions {
        var options = ReadOptions(format: format, batchSize: 3)
        options.chunkSize = 64
        options.inferenceRows = 4
        return options
    }

    private static let directory: String = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
}
