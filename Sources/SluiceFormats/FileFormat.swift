/// A file format Sluice reads and writes: the text formats and Parquet.
public enum FileFormat: String, Sendable, Hashable, CaseIterable, Codable {
    /// Comma-separated values, RFC 4180, with a header row.
    case csv
    /// Tab-separated values: CSV with a tab delimiter.
    case tsv
    /// One top-level JSON array of objects.
    case json
    /// JSON Lines: one object per line.
    case jsonl
    /// Apache Parquet: columnar and binary; read with random access (footer first), never as a stream.
    case parquet

    /// The streamable text formats (CSV, TSV, JSON, JSON Lines): everything that can be compressed as a whole
    /// and read from a pipe. ``parquet`` is not among them: it needs random access and compresses its pages.
    public static var allCases: [FileFormat] { [.csv, .tsv, .json, .jsonl] }

    /// The conventional file name extension, without the dot.
    public var fileExtension: String { rawValue }

    /// The format a file name's extension names, after any compression extension is stripped
    /// (`prices.csv.gz` → ``csv``; `.ndjson` → ``jsonl``; `.txt`/`.tab` → ``tsv``), or `nil`.
    public init?(fileName: String) {
        let name = Compression.strippingExtension(fileName).lowercased()
        guard let dot = name.lastIndex(of: "."), !name[dot...].contains("/") else { return nil }
        switch name[name.index(after: dot)...] {
        case "csv": self = .csv
        case "tsv", "tab": self = .tsv
        case "json": self = .json
        case "jsonl", "ndjson": self = .jsonl
        case "parquet", "parq": self = .parquet
        default: return nil
        }
    }

    /// Guesses the format from the first decompressed bytes: `PAR1` → ``parquet``, `[` → ``json``, `{` →
    /// ``jsonl`` (after a BOM and whitespace), a tab in the first line → ``tsv``, else ``csv``.
    public static func sniff(_ bytes: UnsafeRawBufferPointer) -> FileFormat {
        if bytes.starts(with: parquetMagic) { return .parquet }
        var index = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { index = 3 }
        let contentStart = index
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        if index < bytes.count {
            if bytes[index] == UInt8(ascii: "[") { return .json }
            if bytes[index] == UInt8(ascii: "{") { return .jsonl }
        }
        index = contentStart
        while index < bytes.count && bytes[index] != 0x0A {
            if bytes[index] == 0x09 { return .tsv }
            index += 1
        }
        return .csv
    }

    /// The field delimiter of the text formats (`,` or tab); `nil` for the JSON formats.
    public var defaultDelimiter: UInt8? {
        switch self {
        case .csv: return UInt8(ascii: ",")
        case .tsv: return 0x09
        case .json, .jsonl, .parquet: return nil
        }
    }

    /// The 4 bytes a Parquet file starts and ends with.
    static let parquetMagic: [UInt8] = Array("PAR1".utf8)
}
