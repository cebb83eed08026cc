/// What a load will do to the table's shape, decided before anything is written: the key, the table's schema
/// after new columns are added, and the checks that fail a load early (missing key columns, type changes).
///
/// Pure: it reads the input schema, the request and the table's current schema, and nothing else.
public struct LoadPlan: Sendable, Equatable {
    /// The table loaded.
    public var table: String
    /// The table's schema before the load, or `nil` when the load creates it.
    public var existingSchema: Schema?
    /// The table's schema after the load: existing columns first, then the input's new columns (nullable).
    public var tableSchema: Schema
    /// Columns the load adds to an existing table.
    public var addedColumns: [Column]
    /// The key the load matches rows by (the request's, or the table's).
    public var keyColumns: [String]
    /// The cursor column, under incremental loads that name one.
    public var cursorColumn: String?

    /// The schema batches are prepared with: the table's columns with the load's key (so empty keys are rejected).
    public var preparerSchema: Schema { tableSchema.withKey(keyColumns) }

    /// Whether the load creates the table.
    public var createsTable: Bool { existingSchema == nil }

    /// Plans a load of rows of `input` with `request` into a table whose schema is `existing` (`nil`: no table).
    ///
    /// - Parameter reservedPrefixes: table-name prefixes the target keeps for itself (Sluice's own `_sluice_`
    ///   tables, the database's catalog).
    public static func make(
        input: Schema,
        request: LoadRequest,
        existing: Schema?,
        reservedPrefixes: [String] = ["_sluice_"]
    ) throws -> LoadPlan {
        let table = request.table
        guard !table.isEmpty else { throw SluiceError(.invalidRequest, "the table name is empty") }
        if reservedPrefixes.contains(where: { table.lowercased().hasPrefix($0) }) {
            throw SluiceError(
                .invalidRequest,
                "table name '\(table)' is reserved (it starts with \(reservedPrefixes.joined(separator: " or ")))"
            )
        }
        let key = request.keyColumns.isEmpty ? (existing?.keyColumns ?? []) : request.keyColumns
        try checkKey(key, input: input, request: request, existing: existing)
        let cursor = request.strategy == .incremental ? request.cursorColumn : nil
        if let cursor, input.index(of: cursor) == nil {
            throw SluiceError(
                .invalidRequest,
                "cursor column '\(cursor)' is not in the input (columns: \(input.columnNames.joined(separator: ", ")))"
            )
        }
        guard let existing else {
            var seen: Set<String> = []
            for column in input.columns where !seen.insert(column.name).inserted {
                throw SluiceError(.schemaMismatch, "table '\(table)': the input names column '\(column.name)' twice")
            }
            let schema = Schema(columns: input.columns, keyColumns: key)
            return LoadPlan(
                table: table,
                existingSchema: nil,
                tableSchema: schema,
                addedColumns: [],
                keyColumns: key,
                cursorColumn: cursor
            )
        }
        var added: [Column] = []
        for column in input.columns {
            guard let stored = existing.column(named: column.name) else {
                added.append(Column(column.name, column.type, isNullable: true))
                continue
            }
            guard isCompatible(table: stored.type, input: column.type) else {
                throw SluiceError(
                    .schemaMismatch,
                    "table '\(table)': column '\(column.name)' is \(stored.type.name) in the table "
                        + "but \(column.type.name) in the input"
                )
            }
        }
        let schema = Schema(columns: existing.columns + added, keyColumns: existing.keyColumns)
        return LoadPlan(
            table: table,
            existingSchema: existing,
            tableSchema: schema,
            addedColumns: added,
            keyColumns: key,
            cursorColumn: cursor
        )
    }

    private static func checkKey(_ key: [String], input: Schema, request: LoadRequest, existing: Schema?) throws {
        if request.strategy.requiresKey && key.isEmpty {
            throw SluiceError(.invalidKey, "strategy \(request.strategy.rawValue) needs key columns (--key)")
        }
        for column in key where input.index(of: column) == nil {
            throw SluiceError(
                .invalidKey,
                "key column '\(column)' is not in the input (columns: \(input.columnNames.joined(separator: ", ")))"
            )
        }
        if let existing, !existing.keyColumns.isEmpty, !request.keyColumns.isEmpty,
            existing.keyColumns != request.keyColumns
        {
            throw SluiceError(
                .invalidKey,
                "table '\(request.table)' has key (\(existing.keyColumns.joined(separator: ", "))), "
                    + "the load names (\(request.keyColumns.joined(separator: ", ")))"
            )
        }
    }

    /// Whether input values of type `input` go into a column of type `table` exactly: the same type, or a
    /// widening every value survives (integers into decimals or doubles, decimals at another scale — checked per
    /// value —, dates into timestamps, strings into JSON).
    public static func isCompatible(table: ColumnType, input: ColumnType) -> Bool {
        switch (table, input) {
        case _ where table == input: return true
        case (.decimal, .decimal), (.decimal, .int64), (.double, .int64), (.timestamp, .date), (.json, .string):
            return true
        default: return false
        }
    }
}
