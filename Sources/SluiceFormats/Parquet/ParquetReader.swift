import Sluice

/// Reads a Parquet file into batches of a requested schema: columns are matched by name, a column the file
/// lacks is NULL, and a file column whose type cannot be read as the requested one is an error.
///
/// The footer is read first; then one row group at a time, one compressed column chunk per requested column
/// in memory. Batches never span row groups; `RecordBatch.lines` holds the 1-based row number in the file.
/// Corrupt or truncated files are a one-line ``Sluice/SluiceError`` (`malformedInput`) naming the file, the row
/// group (1-based) and column: never a crash or a hang.
public struct ParquetReader: RecordReader {
    /// The schema of every batch.
    public let schema: Schema
    /// The file.
    public let path: String
    /// Rows per batch (at most).
    public let batchSize: Int
    private let file: ParquetFile
    private let byteCounter: ByteCounter
    private var rowGroupIndex = -1
    private var rowsLeftInGroup: Int64 = 0
    private var nextRow = 1
    private var sources: [ParquetColumnSource] = []

    /// Opens `path` and reads its footer.
    ///
    /// - Parameters:
    ///   - schema: the schema of the batches; `nil` is the file's (``schema(of:)``).
    ///   - batchSize: rows per batch (default 8192).
    ///   - byteCounter: counts the column bytes read, for progress.
    /// - Throws: ``Sluice/SluiceError``: `io`, `malformedInput` for a broken file, `schemaMismatch` when a column
    ///   cannot be read as the requested type.
    public init(
        path: String,
        schema: Schema? = nil,
        batchSize: Int = 8192,
        byteCounter: ByteCounter = ByteCounter()
    ) throws {
        file = try ParquetFile(path: path)
        self.path = path
        self.schema = try schema ?? file.inferredSchema()
        self.batchSize = max(1, batchSize)
        self.byteCounter = byteCounter
        for column in self.schema.columns {
            guard let index = file.leaves.firstIndex(where: { $0.name == column.name }) else { continue }
            let leaf = file.leaves[index]
            guard ParquetColumnSources.canRead(leaf, as: column.type) else {
                throw SluiceError(
                    .schemaMismatch,
                    "\(path): column '\(column.name)' is \(ParquetSchemaMapping.describe(leaf)) in the file and cannot be read as \(column.type.name)"
                )
            }
        }
    }

    /// The schema stored in (or mapped from) the file at `path`.
    public static func schema(of path: String) throws -> Schema {
        try ParquetFile(path: path).inferredSchema()
    }

    public mutating func next() throws -> RecordBatch? {
        while rowsLeftInGroup == 0 {
            rowGroupIndex += 1
            guard rowGroupIndex < file.metadata.rowGroups.count else { return nil }
            try openRowGroup()
        }
        let count = Int(min(Int64(batchSize), rowsLeftInGroup))
        var columns: [ColumnValues] = []
        columns.reserveCapacity(sources.count)
        for (index, source) in sources.enumerated() {
            do {
                columns.append(try source.read(count))
            } catch {
                throw failure(error, column: schema.columns[index].name)
            }
        }
        rowsLeftInGroup -= Int64(count)
        let lines = Array(nextRow..<(nextRow + count))
        nextRow += count
        return RecordBatch(schema: schema, columns: columns, source: path, lines: lines)
    }

    private mutating func openRowGroup() throws {
        let rowGroup = file.metadata.rowGroups[rowGroupIndex]
        rowsLeftInGroup = rowGroup.numRows
        sources = []
        for column in schema.columns {
            guard let index = file.leaves.firstIndex(where: { $0.name == column.name }) else {
                sources.append(ParquetColumnSource(nullsOf: column.type))
                continue
            }
            let metadata = rowGroup.columns[index]
            do {
                var start = metadata.dataPageOffset
                if let dictionary = metadata.dictionaryPageOffset, dictionary > 0, dictionary < start {
                    start = dictionary
                }
                let chunk = try file.readData(at: start, count: metadata.totalCompressedSize)
                byteCounter.add(chunk.count)
                guard
                    let source = try ParquetColumnSources.make(
                        chunk: chunk,
                        metadata: metadata,
                        leaf: file.leaves[index],
                        rows: rowGroup.numRows,
                        as: column.type
                    )
                else { throw ParquetFailure("cannot be read as \(column.type.name)") }
                sources.append(source)
            } catch {
                throw failure(error, column: column.name)
            }
        }
    }

    private func failure(_ error: any Error, column: String) -> any Error {
        guard let failure = error as? ParquetFailure else { return error }
        return SluiceError(
            .malformedInput,
            "\(path): row group \(rowGroupIndex + 1) column '\(column)': \(failure.reason)"
        )
    }
}

extension ParquetColumnSources {
    /// Whether a leaf can be read as `type`.
    static func canRead(_ leaf: ParquetSchemaElement, as type: ColumnType) -> Bool {
        (try? make(chunk: [], metadata: probeMetadata, leaf: leaf, rows: 0, as: type)) != nil
    }

    private static var probeMetadata: ParquetColumnMetadata {
        ParquetColumnMetadata(
            type: .int32,
            encodings: [],
            path: [],
            codec: 0,
            numValues: 0,
            totalUncompressedSize: 0,
            totalCompressedSize: 0,
            dataPageOffset: 0
        )
    }
}

extension ParquetReader {
    /// The file's size in bytes.
    public var fileSize: Int64 { file.size }
}
