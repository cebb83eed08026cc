import Sluice

/// How one table is laid out in Redis: its key template, its value format, and whether it is a set of streams
/// (a table without a key: every row an entry of the stream its template names).
///
/// A table keeps the layout it was created with; it is recorded in every version's metadata.
struct CacheTableLayout: Sendable, Hashable {
    static let templateKey = "redis.key_template"
    static let formatKey = "redis.value_format"
    static let chunksKey = "redis.state_chunks"
    static let streamTimeKey = "redis.stream_ms"
    static let keyEncodingKey = "redis.key_encoding"

    var template: CacheKeyTemplate
    var format: CacheValueFormat
    var isStream: Bool
    /// Whether the table's keys escape their separators (``CacheKeyEscaping``): every table Sluice creates does;
    /// a table created before escaping existed does not until its next load upgrades it
    /// (``upgradingKeyEncoding(state:namespace:table:keyColumns:)``).
    var escapesKeys: Bool = true

    /// The layout of a table whose latest version is `parent` (its own), or a new table's from `target`'s options.
    ///
    /// - Throws: ``Sluice/SluiceError`` (`invalidRequest`) when the target asks for another layout than the
    ///   table's, or the template does not fit the table.
    static func resolve(target: RedisTarget, plan: LoadPlan, parent: DataVersion?) throws -> CacheTableLayout {
        let table = plan.table
        let isStream = plan.keyColumns.isEmpty
        if let parent, let stored = try layout(of: parent) {
            if let asked = target.keyTemplate, asked != stored.template {
                throw SluiceError(
                    .invalidRequest,
                    "table '\(table)' is stored with key template '\(stored.template)'; the load asks for '\(asked)' "
                        + "(a table keeps its layout: flush it or load under another table name)"
                )
            }
            if let asked = target.valueFormat, asked != stored.format {
                throw SluiceError(
                    .invalidRequest,
                    "table '\(table)' is stored as \(stored.format) values; the load asks for \(asked) "
                        + "(a table keeps its layout: flush it or load under another table name)"
                )
            }
            return stored
        }
        let template =
            try target.keyTemplate ?? (isStream ? CacheKeyTemplate("{namespace}:{table}") : CacheKeyTemplate.standard)
        let format = target.valueFormat ?? .json
        if isStream {
            try template.checkStream(schema: plan.tableSchema, table: table)
        } else {
            try template.check(schema: plan.tableSchema, keyColumns: plan.keyColumns, table: table)
        }
        try template.checkDecodable(table: table)
        return CacheTableLayout(template: template, format: isStream ? .hash : format, isStream: isStream)
    }

    /// The layout `version` recorded, if any.
    static func layout(of version: DataVersion) throws -> CacheTableLayout? {
        guard let templateText = version.metadata[templateKey], let formatText = version.metadata[formatKey] else {
            return nil
        }
        return CacheTableLayout(
            template: try CacheKeyTemplate(templateText),
            format: formatText == "stream" ? .hash : try CacheValueFormat(parsing: formatText),
            isStream: formatText == "stream",
            escapesKeys: version.metadata[keyEncodingKey] == "escaped"
        )
    }

    /// The metadata a version records for this layout.
    var metadata: [String: String] {
        var metadata = [Self.templateKey: template.text, Self.formatKey: isStream ? "stream" : format.description]
        if escapesKeys { metadata[Self.keyEncodingKey] = "escaped" }
        return metadata
    }

    /// A renderer of the table's keys.
    func renderer(namespace: String, table: String, schema: Schema, keyColumns: [String]) -> CacheKeyTemplate.Renderer {
        template.renderer(
            namespace: namespace,
            table: table,
            schema: schema,
            keyColumns: keyColumns,
            escaped: escapesKeys
        )
    }
}

extension CacheKeyTemplate {
    /// Checks a template for a table without a key (streams): every `{COLUMN}` exists and there is no `{key}`.
    func checkStream(schema: Schema, table: String) throws {
        for part in parts {
            switch part {
            case .key:
                throw SluiceError(
                    .invalidRequest,
                    "key template '\(text)': table '\(table)' has no key, so {key} is empty "
                        + "(name the stream's columns, e.g. {namespace}:{table}:{symbol}, or load with --key)"
                )
            case .column(let name) where schema.column(named: name) == nil:
                throw SluiceError(
                    .invalidRequest,
                    "key template '\(text)': table '\(table)' has no column '\(name)' "
                        + "(columns: \(schema.columnNames.joined(separator: ", ")))"
                )
            default: continue
            }
        }
    }
}
