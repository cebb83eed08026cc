import Foundation
import Logging
import Sluice
import SluiceFormats

/// The file target: tables as folders of data files (CSV, TSV, JSON, JSON Lines or Parquet; any compression),
/// partitioned by date on request, with one manifest per version.
///
/// ```swift
/// try await withLoader("file:lake?format=csv&compression=zstd", factories: [FileLoader.factory]) { loader in
///     try await loader.load(prices, into: "prices", key: ["symbol", "date"], strategy: .upsert)
/// }
/// ```
///
/// Every strategy behaves as on the database targets (DESIGN §3), with the same counts and checksums. A load
/// writes new files under temporary names, syncs and renames them, and publishes its manifest last and
/// atomically: readers see the previous version or the new one, never a part. Keyed strategies rewrite only the
/// partitions they change. See `docs/FileTarget.md` for the layout and the manifest format.
public struct FileLoader: Loader {
    /// The target directory, absolute.
    public let directory: String
    /// How new data files are written.
    public let output: FileOutputOptions
    let logger: Logger
    /// The target directory as the user named it, absolute but with no link resolved (``directory`` may have
    /// some resolved): the path whose being a symbolic link ``SymlinkGuard`` checks.
    let namedDirectory: String

    /// A loader of the target directory `directory` (created on the first load).
    public init(
        directory: String,
        output: FileOutputOptions = FileOutputOptions(),
        logger: Logger = Logger(label: "sluice.files")
    ) {
        let absolute = directory.hasPrefix("/") ? directory : FileManager.default.currentDirectoryPath + "/" + directory
        self.directory = (absolute as NSString).standardizingPath
        self.namedDirectory = SymlinkGuard.named(absolute)
        self.output = output
        self.logger = logger
    }

    /// Opens `file:` URLs.
    public static let factory: any LoaderFactory = FileLoaderFactory()

    public var target: String { "file:" + directory }

    public func close() async throws {}

    /// The folder of `table`, checked: neither the target directory, the table's folder nor Sluice's folders in it
    /// may be a symbolic link (unless ``FileOutputOptions/followsSymbolicLinks``).
    ///
    /// - Throws: ``Sluice/SluiceError`` (`invalidRequest`) for a bad table name or a link.
    func folder(_ table: String) throws -> TableFolder {
        var folder = try TableFolder(root: directory, table: table)
        folder.symlinks = symlinks
        try symlinks.check(table: folder, in: namedDirectory)
        return folder
    }

    /// How this loader treats symbolic links; its messages name the target directory as the user named it.
    var symlinks: SymlinkGuard {
        SymlinkGuard(target: "file:" + namedDirectory, follows: output.followsSymbolicLinks)
    }
}

/// Opens `file:DIR` and `file://DIR` URLs, with options in the query:
/// `file:lake?format=parquet&compression=zstd&level=3&file_mb=256`.
struct FileLoaderFactory: LoaderFactory {
    var schemes: [String] { ["file"] }

    func makeLoader(url: TargetURL, logger: Logger) async throws -> any Loader {
        let (directory, output) = try FileTargetURL.parse(url)
        return FileLoader(directory: directory, output: output, logger: logger)
    }
}
