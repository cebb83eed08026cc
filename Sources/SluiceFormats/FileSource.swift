import Sluice

/// Opens record files (CSV, TSV, JSON, JSON Lines with any compression; Parquet) as streams of batches.
///
/// Format and compression are detected per file (compression from the magic bytes, format from the
/// extension or the first bytes) unless ``ReadOptions`` fixes them. The schema is given or inferred from the
/// first rows of the first file; inference reads a bounded sample and then reopens the file, so memory stays
/// constant. An empty file (no bytes, or only whitespace) is an error: `prices.csv: the file is empty`.
public enum FileSource {
    /// Opens `paths` as one stream: the schema is decided from the first file, and every other file's columns
    /// must be in it (checked before any row is read). Files are read one after another; batches carry the
    /// path of their file as `source` and the line of each row.
    ///
    /// - Throws: ``Sluice/SluiceError``: `invalidRequest` for no paths or an unknown key column, `io` when a file
    ///   cannot be read, `schemaMismatch` for incompatible headers, `malformedInput` for broken files.
    public static func open(
        paths: [String],
        options: ReadOptions = ReadOptions()
    ) throws -> (
        schema: Schema, stream: RecordStream
    ) {
        guard let first = paths.first else { throw SluiceError(.invalidRequest, "no input files") }
        let schema = try schema(of: first, options: options)
        for path in paths.dropFirst() {
            if isParquet(path, options: options) {
                let names = try ParquetReader.schema(of: path).columnNames
                try SchemaResolution.checkCompatible(names: names, path: path, schema: schema)
                continue
            }
            let file = try OpenedFile.open(path, options: options)
            if file.format == .csv || file.format == .tsv {
                let layout = try csvLayout(file, options: options)
                layout.tokenizer.window.input.close()
                try SchemaResolution.checkCompatible(names: layout.names, path: path, schema: schema)
            } else {
                file.window.input.close()
            }
        }
        let counter = ByteCounter()
        for path in paths {
            if let file = try? PosixFile.openForReading(path) {
                counter.addTotal(file.size() ?? 0)
                file.close()
            }
        }
        let stream = RecordStream(schema: schema, source: paths.joined(separator: ", "), byteCounter: counter) {
            var remaining = paths[...]
            var reader: (any RecordReader)?
            return {
                while true {
                    if reader == nil {
                        guard let path = remaining.popFirst() else { return nil }
                        reader = try FileSource.reader(
                            path: path,
                            schema: schema,
                            options: options,
                            byteCounter: counter,
                            addsSizeToTotal: false
                        )
                    }
                    if let batch = try reader?.next() { return batch }
                    reader = nil
                }
            }
        }
        return (schema, stream)
    }

    /// The schema `path` would be read with: `options.schema` completed by inference, or inferred.
    public static func schema(of path: String, options: ReadOptions = ReadOptions()) throws -> Schema {
        if isParquet(path, options: options) { return try parquetSchema(of: path, options: options) }
        let file = try OpenedFile.open(path, options: options)
        switch file.format {
        case .csv, .tsv:
            let layout = try csvLayout(file, options: options)
            layout.tokenizer.window.input.close()
            return try SchemaResolution.resolve(
                names: layout.names,
                path: path,
                options: options,
                namesAreComplete: options.hasHeader
            ) {
                try inferCSV(path: path, names: layout.names, options: options)
            }
        case .parquet:
            return try parquetSchema(of: path, options: options)
        case .json, .jsonl:
            let sample = try sampleJSON(file, options: options)
            return try SchemaResolution.resolve(names: sample.names, path: path, options: options) {
                sample.inferSchema()
            }
        }
    }

    /// A reader of one file into batches of `schema` (columns matched by name; columns the file lacks are NULL).
    public static func reader(
        path: String,
        schema: Schema,
        options: ReadOptions = ReadOptions(),
        byteCounter: ByteCounter = ByteCounter(),
        addsSizeToTotal: Bool = true
    ) throws -> any RecordReader {
        if isParquet(path, options: options) {
            return try parquetReader(
                path: path,
                schema: schema,
                options: options,
                byteCounter: byteCounter,
                addsSizeToTotal: addsSizeToTotal
            )
        }
        let file = try OpenedFile.open(
            path,
            options: options,
            byteCounter: byteCounter,
            addsSizeToTotal: addsSizeToTotal
        )
        switch file.format {
        case .csv, .tsv: return try csvReader(file, schema: schema, options: options)
        case .json, .jsonl: return jsonReader(file, schema: schema, options: options)
        case .parquet:
            return try parquetReader(
                path: path,
                schema: schema,
                options: options,
                byteCounter: byteCounter,
                addsSizeToTotal: false
            )
        }
    }
}
