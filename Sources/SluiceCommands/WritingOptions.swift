import ArgumentParser
import Sluice
import SluiceFormats

/// How a file target writes data files: `--format`, `--compression`, `--level`, `--file-mb`. They become the
/// file target URL's options (`file:DIR?format=parquet&compression=zstd`); other targets refuse them.
struct WritingOptions: ParsableArguments {
    @Option(help: "File targets: the format of new data files: parquet (default), csv, tsv, json or jsonl.")
    var format: String?

    @Option(help: "File targets: none, gzip, bzip2, lz4 or zstd (default zstd); Parquet also snappy and lz4_raw.")
    var compression: String?

    @Option(help: "File targets: the compression level (default: the codec's).")
    var level: Int?

    @Option(name: .customLong("file-mb"), help: "File targets: start a new data file after this many MB.")
    var fileMegabytes: Int?

    /// The options as URL query items, in a fixed order.
    var queryItems: [String] {
        var items: [String] = []
        if let format { items.append("format=\(format.lowercased())") }
        if let compression { items.append("compression=\(compression.lowercased())") }
        if let level { items.append("level=\(level)") }
        if let fileMegabytes { items.append("file_mb=\(fileMegabytes)") }
        return items
    }

    /// `url` with these options added to its query; `url` itself when none is given.
    ///
    /// - Throws: `ValidationError` when options are given for a target that is not a file target, or the URL
    ///   sets one of them already.
    func applied(to url: String) throws -> String {
        let items = queryItems
        guard !items.isEmpty else { return url }
        guard let target = try? TargetURL(url), target.scheme == "file" else {
            throw ValidationError(
                "--format, --compression, --level and --file-mb describe a file target's data files (--into file:DIR); "
                    + "to describe the input, use --input-format and --input-compression"
            )
        }
        let query = url.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        let existing = Set(query.split(separator: "&").map { String($0.split(separator: "=").first ?? "") })
        for item in items where existing.contains(String(item.split(separator: "=")[0])) {
            throw ValidationError("the target URL sets \(item.split(separator: "=")[0]) already; give it once")
        }
        return url + (url.contains("?") ? "&" : "?") + items.joined(separator: "&")
    }
}
