/// The keys each kind of job accepts.
enum JobKeys {
    static let common = ["name", "kind", "target", "depends_on", "table"]
    static let fileOutput = ["format", "compression", "level", "file_mb"]
    static let cache = [
        "namespace", "key_template", "value_format", "ttl", "ttl_rules", "ttl_rules_file", "default_ttl", "keep_ttl",
        "max_value_bytes",
    ]
    static let load =
        [
            "files", "key", "strategy", "cursor", "on_conflict", "delete_missing", "force", "history", "schema",
            "max_errors", "reject_file", "validate", "indexes", "partition_by", "input",
        ] + fileOutput + cache
    static let export = ["to", "as", "format", "compression", "since_last", "where"]
    static let archive = ["older_than", "before", "date_column", "to", "as", "format", "compression"]
    static let retain = ["keep_versions", "keep_days", "archive_to"]
    static let input = ["format", "compression", "delimiter", "quote", "header", "batch_size"]
    static let window = ["from", "to", "column"]

    /// The keys of `kind`.
    static func allowed(_ kind: PipelineJob.Kind) -> [String] {
        switch kind {
        case .load: common + load
        case .export: common + export
        case .archive: common + archive
        case .retain: common + retain
        case .verify: common
        }
    }

    /// For keys that `kind` does not take but another kind does: which kinds, for the message.
    static func elsewhere(_ kind: PipelineJob.Kind) -> [String: String] {
        var owners: [String: [String]] = [:]
        for other in PipelineJob.Kind.allCases where other != kind {
            for key in allowed(other) where !allowed(kind).contains(key) {
                owners[key, default: []].append(other.rawValue)
            }
        }
        return owners.mapValues { "a " + $0.joined(separator: " or ") + " job" }
    }
}
