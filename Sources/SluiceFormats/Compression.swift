import Sluice

/// A compression applied to a whole file: detected from the file's first bytes when reading, chosen when writing.
public enum Compression: String, Sendable, Hashable, CaseIterable, Codable {
    /// Plain bytes.
    case none
    /// gzip (RFC 1952) via zlib; concatenated members are read as one stream.
    case gzip
    /// bzip2 via libbz2; concatenated streams are read as one.
    case bzip2
    /// The lz4 frame format via `lz4frame.h`; concatenated frames are read as one.
    case lz4
    /// Zstandard; concatenated frames are read as one.
    case zstd

    /// The conventional file name extension, without the dot (`gz`, `bz2`, `lz4`, `zst`); empty for ``none``.
    public var fileExtension: String {
        switch self {
        case .none: return ""
        case .gzip: return "gz"
        case .bzip2: return "bz2"
        case .lz4: return "lz4"
        case .zstd: return "zst"
        }
    }

    /// The compression level used when none is given: gzip 6, bzip2 9, lz4 0 (fast), zstd 3.
    public var defaultLevel: Int {
        switch self {
        case .none: return 0
        case .gzip: return 6
        case .bzip2: return 9
        case .lz4: return 0
        case .zstd: return 3
        }
    }

    /// The levels the codec accepts: gzip 0–9, bzip2 1–9, lz4 0–12, zstd 1–22 (none: only 0).
    public var levels: ClosedRange<Int> {
        switch self {
        case .none: return 0...0
        case .gzip: return 0...9
        case .bzip2: return 1...9
        case .lz4: return 0...12
        case .zstd: return 1...22
        }
    }

    /// Detects the compression from a file's first bytes (its magic number): gzip `1f 8b`, bzip2 `BZh1`–`BZh9`,
    /// lz4 frame `04 22 4d 18`, zstd `28 b5 2f fd`. Anything else is ``none``.
    public static func detect(magic bytes: some Collection<UInt8>) -> Compression {
        let head = Array(bytes.prefix(4))
        if head.count >= 2 && head[0] == 0x1f && head[1] == 0x8b { return .gzip }
        if head.count >= 4 && head[0...2] == [0x42, 0x5a, 0x68] && (0x31...0x39).contains(head[3]) { return .bzip2 }
        if head == [0x04, 0x22, 0x4d, 0x18] { return .lz4 }
        if head == [0x28, 0xb5, 0x2f, 0xfd] { return .zstd }
        return .none
    }

    /// The compression a file name's extension suggests (`.gz`, `.bz2`, `.lz4`, `.zst`/`.zstd`), else ``none``.
    public init(fileName: String) {
        let lowered = fileName.lowercased()
        if lowered.hasSuffix(".gz") || lowered.hasSuffix(".gzip") {
            self = .gzip
        } else if lowered.hasSuffix(".bz2") {
            self = .bzip2
        } else if lowered.hasSuffix(".lz4") {
            self = .lz4
        } else if lowered.hasSuffix(".zst") || lowered.hasSuffix(".zstd") {
            self = .zstd
        } else {
            self = .none
        }
    }

    /// `fileName` without a compression extension: `prices.csv.gz` → `prices.csv`.
    public static func strippingExtension(_ fileName: String) -> String {
        let lowered = fileName.lowercased()
        for suffix in [".gz", ".gzip", ".bz2", ".lz4", ".zst", ".zstd"] where lowered.hasSuffix(suffix) {
            return String(fileName.dropLast(suffix.count))
        }
        return fileName
    }
}
