import Sluice

/// A CSV file positioned after its header: the tokenizer and the file's column names.
struct CSVLayout {
    var tokenizer: CSVTokenizer
    var names: [String]
    /// Whether the tokenizer's current record is data (no header: it was read to count the columns).
    var hasPendingRecord: Bool
}

extension FileSource {
    /// Reads the header (or, without one, counts the first record's fields and names them).
    static func csvLayout(_ file: OpenedFile, options: ReadOptions) throws -> CSVLayout {
        let delimiter = options.delimiter ?? file.format.defaultDelimiter ?? UInt8(ascii: ",")
        var tokenizer = CSVTokenizer(path: file.path, window: file.window, delimiter: delimiter, quote: options.quote)
        guard try tokenizer.nextRecord() else { throw SluiceError(.malformedInput, "\(file.path): the file is empty") }
        let count = tokenizer.fields.count
        guard options.hasHeader else {
            let given = options.schema?.columns ?? []
            let names = (0..<count).map { $0 < given.count ? given[$0].name : "column_\($0 + 1)" }
            return CSVLayout(tokenizer: tokenizer, names: names, hasPendingRecord: true)
        }
        var names: [String] = []
        for index in 0..<count {
            let name = tokenizer.fieldText(index)
            let chosen = name.isEmpty ? "column_\(index + 1)" : name
            if names.contains(chosen) {
                throw SluiceError(
                    .malformedInput,
                    "\(file.path):\(tokenizer.recordLine): column '\(chosen)' appears twice in the header"
                )
            }
            names.append(chosen)
        }
        return CSVLayout(tokenizer: tokenizer, names: names, hasPendingRecord: false)
    }

    /// Infers the types of `names` from the first `options.inferenceRows` records of a fresh read of `path`.
    static func inferCSV(path: String, names: [String], options: ReadOptions) throws -> Schema {
        var layout = try csvLayout(OpenedFile.open(path, options: options), options: options)
        var inference = SchemaInference(names: names)
        var rows = 0
        var hasRecord = layout.hasPendingRecord ? true : try layout.tokenizer.nextRecord()
        while hasRecord && rows < options.inferenceRows {
            let tokenizer = layout.tokenizer
            if tokenizer.fields.count == names.count {
                for index in 0..<names.count where !tokenizer.fields[index].isEmpty {
                    inference.observe(tokenizer.field(index), column: index)
                }
                rows += 1
            }
            hasRecord = try layout.tokenizer.nextRecord()
        }
        layout.tokenizer.window.input.close()
        return inference.schema()
    }

    /// A reader of a CSV file's records into batches of `schema`.
    static func csvReader(_ file: OpenedFile, schema: Schema, options: ReadOptions) throws -> CSVReader {
        let layout = try csvLayout(file, options: options)
        try SchemaResolution.checkCompatible(names: layout.names, path: file.path, schema: schema)
        let fieldOfColumn = schema.columns.map { layout.names.firstIndex(of: $0.name) ?? -1 }
        return CSVReader(
            tokenizer: layout.tokenizer,
            schema: schema,
            fieldOfColumn: fieldOfColumn,
            fieldCount: layout.names.count,
            batchSize: options.batchSize,
            hasPendingRecord: layout.hasPendingRecord
        )
    }
}
