extension RecordBatch {
    /// This batch with the columns of `target`, in its order: matching columns moved over, columns the batch
    /// lacks filled with NULL, values of another type converted where the conversion is exact.
    ///
    /// - Throws: ``SluiceError`` (schema mismatch) when a column is missing from `target`, a missing column is
    ///   not nullable, or a value cannot be converted exactly.
    public func conformed(to target: Schema) throws -> RecordBatch {
        if target.columns == schema.columns {
            return RecordBatch(
                schema: target,
                columns: columns,
                source: source,
                lines: lines,
                rejects: rejects
            )
        }
        for column in schema.columns where target.index(of: column.name) == nil {
            throw SluiceError(.schemaMismatch, "\(source): column '\(column.name)' is not in the table's schema")
        }
        var converted: [ColumnValues] = []
        for column in target.columns {
            guard let index = schema.index(of: column.name) else {
                guard column.isNullable else {
                    throw SluiceError(
                        .schemaMismatch,
                        "\(source): the input has no column '\(column.name)', which cannot be NULL"
                    )
                }
                converted.append(RecordBatch.nullColumn(column.type, count: count))
                continue
            }
            if schema.columns[index].type == column.type {
                converted.append(columns[index])
            } else {
                converted.append(try convert(column: index, to: column))
            }
        }
        return RecordBatch(schema: target, columns: converted, source: source, lines: lines, rejects: rejects)
    }

    private static func nullColumn(_ type: ColumnType, count: Int) -> ColumnValues {
        var builder = RecordBatchBuilder(schema: Schema(columns: [Column("c", type)]), capacity: count)
        for _ in 0..<count {
            builder.appendNull(column: 0)
            builder.endRow(line: 0)
        }
        return builder.build().columns[0]
    }

    private func convert(column index: Int, to column: Column) throws -> ColumnValues {
        var builder = RecordBatchBuilder(schema: Schema(columns: [column]), source: source, capacity: count)
        for row in 0..<count {
            let value = columns[index].value(at: row)
            let line = row < lines.count ? lines[row] : 0
            guard value.isNull || ValueConversion.convert(value, to: column.type) != nil else {
                throw SluiceError(
                    .schemaMismatch,
                    "\(source)\(line > 0 ? ":\(line)" : ""): column '\(column.name)': "
                        + "\(schema.columns[index].type.name) value \(quotedForMessage(value.text ?? "")) "
                        + "does not fit the table's type \(column.type.name)"
                )
            }
            do {
                try builder.append(value, column: 0, line: line)
            } catch {
                throw SluiceError(.schemaMismatch, error.description, underlying: error)
            }
            builder.endRow(line: line)
        }
        return builder.build().columns[0]
    }
}
