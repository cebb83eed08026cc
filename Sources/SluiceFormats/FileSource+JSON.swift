import Sluice

/// The first objects of a JSON file, kept as text for schema inference.
struct JSONSample {
    /// Keys in order of first appearance.
    var names: [String] = []
    /// Per object: (column, kind, value text).
    var rows: [[(column: Int, kind: JSONValueKind, text: String)]] = []

    /// The inferred schema: value texts through ``Sluice/SchemaInference``, nested values as json.
    func inferSchema() -> Schema {
        var inference = SchemaInference(names: names)
        for row in rows {
            for value in row {
                switch value.kind {
                case .null: continue
                case .nested: inference.observeJSON(column: value.column)
                case .string, .number, .bool:
                    var bytes = Array(value.text.utf8)
                    bytes.withUnsafeMutableBytes { inference.observe(UnsafeRawBufferPointer($0), column: value.column) }
                }
            }
        }
        return inference.schema()
    }
}

extension FileSource {
    /// Reads the first `options.inferenceRows` objects of a JSON or JSON Lines file.
    static func sampleJSON(_ file: OpenedFile, options: ReadOptions) throws -> JSONSample {
        var parser = JSONObjectParser(path: file.path, window: file.window)
        var sample = JSONSample()
        var columns: [String: Int] = [:]
        while sample.rows.count < options.inferenceRows, try parser.nextObject() {
            var row: [(column: Int, kind: JSONValueKind, text: String)] = []
            for member in parser.members {
                let key = String(decoding: parser.bytes(member.key), as: UTF8.self)
                let column: Int
                if let known = columns[key] {
                    column = known
                } else {
                    column = sample.names.count
                    columns[key] = column
                    sample.names.append(key)
                }
                row.append((column, member.kind, String(decoding: parser.bytes(member.text), as: UTF8.self)))
            }
            sample.rows.append(row)
        }
        parser.window.input.close()
        return sample
    }

    /// A reader of a JSON file's objects into batches of `schema`.
    static func jsonReader(_ file: OpenedFile, schema: Schema, options: ReadOptions) -> JSONReader {
        JSONReader(
            parser: JSONObjectParser(path: file.path, window: file.window),
            schema: schema,
            batchSize: options.batchSize
        )
    }
}
