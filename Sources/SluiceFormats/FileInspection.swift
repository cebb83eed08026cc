import Sluice

/// What `sluice inspect` shows about a file: its detected format and compression, its schema, a few rows and,
/// when asked, how many records it holds.
public struct FileInspection: Sendable {
    /// The file.
    public var path: String
    /// The detected (or given) format.
    public var format: FileFormat
    /// The detected (or given) compression.
    public var compression: Compression
    /// The schema the file is read with.
    public var schema: Schema
    /// Valid rows in the file, when counted.
    public var rowCount: Int?
    /// Rows rejected (wrong field count, a value that does not fit its column), when counted.
    public var rejectCount: Int?
    /// The first rows, in schema order.
    public var sampleRows: [[Value]]
    /// The first few rejects met while reading.
    public var rejects: [RowReject]
    /// For a Parquet file: its row groups, codecs and sizes.
    public var parquet: ParquetSummary? = nil
}

extension FileSource {
    /// Inspects `path`: format, compression, schema, the first `sampleSize` rows and (with `countRows`) the
    /// number of rows, which reads the whole file (streaming).
    public static func inspect(
        path: String,
        options: ReadOptions = ReadOptions(),
        sampleSize: Int = 5,
        countRows: Bool = true
    ) throws -> FileInspection {
        let schema = try schema(of: path, options: options)
        if isParquet(path, options: options) {
            var inspection = FileInspection(
                path: path,
                format: .parquet,
                compression: .none,
                schema: schema,
                rowCount: nil,
                rejectCount: nil,
                sampleRows: [],
                rejects: [],
                parquet: try ParquetSummary(path: path)
            )
            var reader = try ParquetReader(path: path, schema: schema, batchSize: max(sampleSize, 1))
            while inspection.sampleRows.count < sampleSize, let batch = try reader.next() {
                for row in 0..<min(batch.count, sampleSize - inspection.sampleRows.count) {
                    inspection.sampleRows.append(batch.row(row))
                }
            }
            if countRows {
                inspection.rowCount = Int(inspection.parquet?.rowCount ?? 0)
                inspection.rejectCount = 0
            }
            return inspection
        }
        let file = try OpenedFile.open(path, options: options)
        var inspection = FileInspection(
            path: path,
            format: file.format,
            compression: file.compression,
            schema: schema,
            rowCount: nil,
            rejectCount: nil,
            sampleRows: [],
            rejects: []
        )
        var reader: any RecordReader
        switch file.format {
        case .csv, .tsv: reader = try csvReader(file, schema: schema, options: options)
        case .json, .jsonl: reader = jsonReader(file, schema: schema, options: options)
        case .parquet: reader = try ParquetReader(path: path, schema: schema, batchSize: options.batchSize)
        }
        var rows = 0
        var rejects = 0
        while let batch = try reader.next() {
            for row in 0..<batch.count where inspection.sampleRows.count < sampleSize {
                inspection.sampleRows.append(batch.row(row))
            }
            inspection.rejects += batch.rejects.prefix(max(0, 10 - inspection.rejects.count))
            rows += batch.count
            rejects += batch.rejects.count
            if !countRows && inspection.sampleRows.count >= sampleSize { break }
        }
        if countRows {
            inspection.rowCount = rows
            inspection.rejectCount = rejects
        }
        return inspection
    }
}
