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

    /// A loader of the target directory `directory` (created on the first load).
    public init(
        directory: String,
        output: FileOutputOptions = FileOutputOptions(),
        logger: Logger = Logger(label: "sluice.files")
    ) {
        let absolute = directory.hasPrefix("/") ? directory : FileManager.default.currentDirectoryPath + "/" + directory
        self.directory = (absolute as NSString).standardizingPath
        self.output = output
        self.logger = logger
    }

    /// Opens `file:` URLs.
    public static let factory: any LoaderFactory = FileLoaderFactory()

    public var target: String { "file:" + directory }

    public func close() async throws {}

    /// The folder of `table`.
    func folder(_ table: String) throws -> TableFolder {
        try TableFolder(root: directory, table: table)
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
