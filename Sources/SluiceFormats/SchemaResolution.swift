import Sluice

/// Decides the schema of a file from its column names, the caller's schema and inference.
enum SchemaResolution {
    /// The schema for a file whose columns are `names`.
    ///
    /// With `options.schema`, its columns come first, in its order; file columns it lacks are inferred and
    /// appended when `options.inferMissingColumns`, else they are an error. When `names` are all the file's
    /// columns (a CSV header), the schema is only those columns, in the file's order, typed by the given schema
    /// where it has them: so a loader sees that a key column is missing from the file instead of reading NULLs.
    /// Without a given schema, every column is inferred. The key is `options.keyColumns`, else the given
    /// schema's.
    static func resolve(
        names: [String],
        path: String,
        options: ReadOptions,
        namesAreComplete: Bool = false,
        infer: () throws -> Schema
    ) throws -> Schema {
        let schema: Schema
        if let given = options.schema, namesAreComplete {
            let missing = names.filter { given.index(of: $0) == nil }
            guard missing.isEmpty || options.inferMissingColumns else {
                throw SluiceError(.schemaMismatch, "\(path): column '\(missing[0])' is not in the given schema")
            }
            let inferred = missing.isEmpty ? nil : try infer()
            let columns = names.compactMap { name in given.column(named: name) ?? inferred?.column(named: name) }
            let key = options.keyColumns.isEmpty ? given.keyColumns : options.keyColumns
            schema = Schema(columns: columns, keyColumns: key.filter { names.contains($0) })
            for column in key where !names.contains(column) {
                throw SluiceError(
                    .invalidKey,
                    "\(path): key column '\(column)' is not in the file (columns: \(names.joined(separator: ", ")))"
                )
            }
        } else if let given = options.schema {
            let missing = names.filter { given.index(of: $0) == nil }
            var columns = given.columns
            if let first = missing.first {
                guard options.inferMissingColumns else {
                    throw SluiceError(.schemaMismatch, "\(path): column '\(first)' is not in the given schema")
                }
                let inferred = try infer()
                columns += missing.compactMap { inferred.column(named: $0) }
            }
            schema = Schema(
                columns: columns,
                keyColumns: options.keyColumns.isEmpty ? given.keyColumns : options.keyColumns
            )
        } else {
            schema = try infer().withKey(options.keyColumns)
        }
        for key in schema.keyColumns where schema.index(of: key) == nil {
            throw SluiceError(.invalidRequest, "\(path): key column '\(key)' is not a column of the file")
        }
        return schema
    }

    /// Checks that a later file's columns all exist in `schema` (the first file's).
    static func checkCompatible(names: [String], path: String, schema: Schema) throws {
        for name in names where schema.index(of: name) == nil {
            throw SluiceError(
                .schemaMismatch,
                "\(path): column '\(name)' is not in the schema of the first file (\(schema.columnNames.joined(separator: ", ")))"
            )
        }
    }
}
