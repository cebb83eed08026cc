import Sluice

extension FileSource {
    /// Whether `path` is read as Parquet: `options.format` says so; else its first bytes are `PAR1`; else its
    /// extension is `.parquet` (so a broken one is reported as a broken Parquet file).
    static func isParquet(_ path: String, options: ReadOptions) -> Bool {
        if let format = options.format { return format == .parquet }
        if let file = try? PosixFile.openForReading(path) {
            defer { file.close() }
            var magic = [UInt8](repeating: 0, count: 4)
            let count = (try? magic.withUnsafeMutableBytes { try file.read(into: $0) }) ?? 0
            if count == 4 && magic == FileFormat.parquetMagic { return true }
        }
        return FileFormat(fileName: path) == .parquet
    }

    /// The schema a Parquet file is read with: its stored (or mapped) schema, completed by `options` like a CSV
    /// header. The stored key is kept unless `options` names one.
    static func parquetSchema(of path: String, options: ReadOptions) throws -> Schema {
        let stored = try ParquetReader.schema(of: path)
        guard options.schema == nil else {
            return try SchemaResolution.resolve(
                names: stored.columnNames,
                path: path,
                options: options,
                namesAreComplete: true
            ) { stored }
        }
        guard !options.keyColumns.isEmpty else { return stored }
        for key in options.keyColumns where stored.index(of: key) == nil {
            throw SluiceError(.invalidRequest, "\(path): key column '\(key)' is not a column of the file")
        }
        return stored.withKey(options.keyColumns)
    }

    /// A reader of a Parquet file into batches of `schema`.
    static func parquetReader(
        path: String,
        schema: Schema,
        options: ReadOptions,
        byteCounter: ByteCounter,
        addsSizeToTotal: Bool
    ) throws -> ParquetReader {
        let reader = try ParquetReader(
            path: path,
            schema: schema,
            batchSize: options.batchSize,
            byteCounter: byteCounter
        )
        if addsSizeToTotal { byteCounter.addTotal(reader.fileSize) }
        return reader
    }
}
