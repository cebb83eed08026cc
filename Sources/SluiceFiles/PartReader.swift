import Sluice
import SluiceFormats

/// Reads the rows of one data file a manifest lists, as batches of the table's schema.
///
/// A file is written by Sluice with the table's schema at the time; columns added since read as NULL. A row the
/// file cannot give back (it was changed by hand, or is damaged) fails the read with its file and line.
struct PartReader {
    private var reader: any RecordReader
    private let path: String

    /// Opens `file` of the table in `folder` for rows of `schema`.
    init(file: PartFile, folder: TableFolder, schema: Schema, batchSize: Int = 8192) throws {
        path = folder.absolute(file.path)
        var options = ReadOptions(format: file.format, batchSize: batchSize, schema: schema)
        // Parquet compresses its pages, not the file; the text formats name their whole-file compression.
        options.compression =
            file.format == .parquet ? nil : Compression(rawValue: file.compression) ?? Compression.none
        options.inferMissingColumns = false
        reader = try FileSource.reader(path: path, schema: schema, options: options)
    }

    /// The next batch, or `nil` at the end of the file.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`targetFailure`) naming the file and line of a row that does not read
    ///   back, or the reader's error for a damaged file.
    mutating func next() throws -> RecordBatch? {
        guard let batch = try reader.next() else { return nil }
        if let reject = batch.rejects.first {
            throw SluiceError(
                .targetFailure,
                "\(reject.description) (a data file of the table does not read back; run sluice verify)"
            )
        }
        return batch
    }
}
