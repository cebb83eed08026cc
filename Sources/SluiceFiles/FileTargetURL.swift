import Sluice
import SluiceFormats

/// The parts of a file target URL: `file:DIR` or `file://DIR` (`file:///abs/dir`), with options in the query:
/// `format` (parquet, the default, csv, tsv, json, jsonl), `compression` (none, gzip, bzip2, lz4, zstd; for
/// Parquet also snappy and lz4_raw), `level`, `file_mb`
/// (the size at which a data file is closed and the next one started), `open_files` and `staged_mb` (the input a
/// keyed load into a partitioned table holds in memory before it spills), `follow_symlinks` (true or false, the
/// default: whether symbolic links in the folders Sluice writes, deletes or reads in are followed or refused).
enum FileTargetURL {
    /// The directory and the output options `url` names.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`invalidRequest`) naming an unknown option or a bad value.
    static func parse(_ url: TargetURL) throws -> (directory: String, output: FileOutputOptions) {
        var path = url.rest
        var query = ""
        if let mark = path.firstIndex(of: "?") {
            query = String(path[path.index(after: mark)...])
            path = String(path[..<mark])
        }
        if url.hasAuthority && !path.hasPrefix("/") {
            // file://host/path is not supported; file://relative is read as a relative path.
            path = path.hasPrefix("localhost/") ? String(path.dropFirst("localhost".count)) : path
        }
        guard !path.isEmpty else {
            throw SluiceError(.invalidRequest, "\(url.redacted): the file target needs a directory (file:DIR)")
        }
        var output = FileOutputOptions()
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts[0]
            let value = parts.count > 1 ? parts[1] : ""
            switch name {
            case "format":
                guard let format = FileFormat(rawValue: value.lowercased()) else {
                    // FileFormat.allCases lists the text formats only.
                    let known = [FileFormat.parquet.rawValue] + FileFormat.allCases.map(\.rawValue)
                    throw bad(url, name, value, "one of \(known.joined(separator: ", "))")
                }
                output.format = format
            case "compression":
                guard let compression = Compression(rawValue: value.lowercased()) else {
                    throw bad(
                        url,
                        name,
                        value,
                        "one of \(Compression.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                output.compression = compression
            case "level":
                guard let level = Int(value) else { throw bad(url, name, value, "an integer") }
                output.level = level
            case "file_mb":
                guard let megabytes = Int64(value), megabytes > 0 else {
                    throw bad(url, name, value, "a positive integer")
                }
                output.maximumFileBytes = megabytes << 20
            case "staged_mb":
                guard let megabytes = Int(value), megabytes > 0 else {
                    throw bad(url, name, value, "a positive integer")
                }
                output.maximumStagedBytes = megabytes << 20
            case "open_files":
                guard let count = Int(value), count > 0 else { throw bad(url, name, value, "a positive integer") }
                output.maximumOpenFiles = count
            case "follow_symlinks":
                switch value.lowercased() {
                case "true": output.followsSymbolicLinks = true
                case "false": output.followsSymbolicLinks = false
                default: throw bad(url, name, value, "true or false")
                }
            default:
                throw SluiceError(
                    .invalidRequest,
                    "\(url.redacted): unknown option '\(name)' (known: format, compression, level, file_mb, open_files, "
                        + "staged_mb, follow_symlinks)"
                )
            }
        }
        if let parquet = output.parquet, output.format != .parquet {
            throw SluiceError(
                .invalidRequest,
                "\(url.redacted): compression=\(parquet.codec.rawValue) is a Parquet codec; use it with format=parquet"
            )
        }
        if let level = output.level, output.parquet != nil { output.parquet?.level = level }
        try output.check()
        if output.format == .parquet { _ = try output.parquetOptions() }
        return (path, output)
    }

    private static func bad(_ url: TargetURL, _ name: String, _ value: String, _ expected: String) -> SluiceError {
        SluiceError(.invalidRequest, "\(url.redacted): option \(name)=\(value): expected \(expected)")
    }
}

extension FileOutputOptions {
    /// Checks the level against the whole-file compression (Parquet's codecs check their own).
    ///
    /// - Throws: ``Sluice/SluiceError`` (`invalidRequest`) when the level is out of the codec's range.
    func check() throws {
        guard format != .parquet, let level, !compression.levels.contains(level) else { return }
        throw SluiceError(
            .invalidRequest,
            "\(compression.rawValue) compression level \(level) is out of range "
                + "\(compression.levels.lowerBound)-\(compression.levels.upperBound)"
        )
    }
}
