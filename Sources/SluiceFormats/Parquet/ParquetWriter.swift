import Sluice

/// Writes batches as a Parquet file: one column chunk per column per row group, pages compressed with
/// ``ParquetWriteOptions/codec``, statistics per chunk, and the Sluice schema in the footer under
/// `sluice.schema` so a round trip restores types and keys exactly.
///
/// Memory is bounded by the row group: its compressed column chunks are buffered until the row group is
/// closed (``ParquetWriteOptions/rowGroupSize`` plain bytes, checked every 8192 rows), then written in order.
/// Output goes to any ``ByteSink``, sequentially; a ``FileSink`` makes the file appear only on ``finish()``.
public final class ParquetWriter: RecordWriter {
    /// The schema of the batches written.
    public let schema: Schema
    /// The layout settings.
    public let options: ParquetWriteOptions
    private let output: any ByteSink
    private let columns: [ParquetColumnSink]
    private var offset: Int64 = 0
    private var rowGroups: [ParquetRowGroup] = []
    private var bufferedRows = 0
    private var isFinished = false

    /// A writer of `schema` into `output`.
    public init(schema: Schema, output: any ByteSink, options: ParquetWriteOptions = ParquetWriteOptions()) {
        self.schema = schema
        self.options = options
        self.output = output
        columns = schema.columns.map { ParquetSchemaMapping.sink(for: $0, options: options) }
    }

    deinit {
        if !isFinished { output.abandon() }
    }

    /// Buffers the rows of `batch`; closes the row group when it is full.
    public func write(_ batch: RecordBatch) throws {
        guard batch.count > 0 else { return }
        guard batch.columns.count == columns.count else {
            throw SluiceError(
                .invalidRequest,
                "Parquet: the batch has \(batch.columns.count) columns, the schema \(columns.count)"
            )
        }
        if offset == 0 { try emit(Self.magic) }
        let appenders = try zip(columns, batch.columns).map { column, values in try column.prepare(values) }
        var start = 0
        while start < batch.count {
            let end = min(batch.count, start + Self.sliceRows)
            for append in appenders { try append(start..<end) }
            bufferedRows += end - start
            if columns.reduce(0, { $0 + $1.bufferedBytes }) >= options.rowGroupSize { try flushRowGroup() }
            start = end
        }
    }

    /// Rows appended between checks of the row group size, so a large batch still makes several row groups.
    private static let sliceRows = 8192

    /// Writes the last row group and the footer, then completes the output.
    public func finish() throws {
        guard !isFinished else { return }
        do {
            if offset == 0 { try emit(Self.magic) }
            try flushRowGroup()
            let footer = footerMetadata().encoded()
            try emit(footer)
            try emit(withUnsafeBytes(of: UInt32(footer.count).littleEndian) { Array($0) })
            try emit(Self.magic)
            isFinished = true
            try output.finish()
        } catch {
            isFinished = true
            output.abandon()
            throw error
        }
    }

    private static let magic: [UInt8] = Array("PAR1".utf8)

    private func flushRowGroup() throws {
        guard bufferedRows > 0 else { return }
        let start = offset
        var chunks: [ParquetColumnMetadata] = []
        var uncompressed: Int64 = 0
        for column in columns {
            let (pages, metadata) = try column.finishChunk(at: offset)
            for page in pages { try emit(page) }
            chunks.append(metadata)
            uncompressed += metadata.totalUncompressedSize
        }
        rowGroups.append(
            ParquetRowGroup(
                columns: chunks,
                totalByteSize: uncompressed,
                numRows: Int64(bufferedRows),
                fileOffset: start,
                totalCompressedSize: offset - start
            )
        )
        bufferedRows = 0
    }

    private func emit(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try output.write($0) }
        offset += Int64(bytes.count)
    }

    private func footerMetadata() -> ParquetFileMetadata {
        let root = ParquetSchemaElement(name: "schema", numChildren: Int32(schema.columns.count))
        var metadata = ParquetFileMetadata(
            schema: [root] + schema.columns.map(ParquetSchemaMapping.element(for:)),
            numRows: rowGroups.reduce(0) { $0 + $1.numRows },
            rowGroups: rowGroups,
            createdBy: "sluice"
        )
        if let json = try? CatalogJSON.encode(schema) {
            metadata.keyValues = [(ParquetSchemaMapping.schemaKey, json)]
        }
        return metadata
    }
}
