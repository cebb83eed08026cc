import Sluice

/// A synchronous reader of one file: batches of up to `batchSize` rows, until `nil`.
///
/// Readers are not `Sendable`: one producer owns one reader (see ``FileSource``). Memory stays constant
/// whatever the file size.
public protocol RecordReader {
    /// The schema of every batch.
    var schema: Schema { get }
    /// The next batch (rows plus the rows rejected while building it), or `nil` at the end of the file.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`malformedInput`) for structural problems: broken quoting, invalid UTF-8,
    ///   a JSON syntax error, a truncated or corrupt compressed stream.
    mutating func next() throws -> RecordBatch?
}
