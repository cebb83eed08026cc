import Foundation
import Logging
import Sluice
import SluiceFormats

/// One load of files into a table with a strategy: what `sluice load` and a pipeline's load jobs run.
struct LoadOperation: Sendable {
    /// The input files.
    var files: [String]
    /// The target URL, with the file or Redis target's options already in its query.
    var url: String
    var table: String
    /// The key columns; empty: the schema file's key, else the existing table's.
    var key: [String] = []
    /// The strategy; `nil`: upsert with a key, else append.
    var strategy: LoadingStrategy?
    var cursor: String?
    var onConflict: ConflictPolicy = .fail
    var deleteMissing = false
    var force = false
    var recordsHistory = true
    var schemaFile: String?
    var maxErrors = 0
    var rejectFile: String?
    var validators: [any RecordValidator] = []
    var indexes: [[String]] = []
    var partitioning: Partitioning?
    /// How the files are read; the schema and key are filled in from the table and the key.
    var readOptions = ReadOptions()

    /// Opens the target, runs the load and closes the target; returns the result and the strategy it ran with.
    func run(logger: Logger, progress: ProgressLine? = nil) async throws -> (LoadResult, LoadingStrategy) {
        try await withLoader(url, factories: Targets.factories, logger: logger) { loader in
            try await load(into: loader, progress: progress)
        }
    }

    private func load(into loader: any Loader, progress: ProgressLine?) async throws -> (LoadResult, LoadingStrategy) {
        let existing = try await loader.schema(of: table)
        let given = try schemaFile.map(SchemaFile.read)
        var key = key
        if key.isEmpty { key = given?.keyColumns ?? existing?.keyColumns ?? [] }
        let strategy = strategy ?? (key.isEmpty ? .append : .upsert)
        var options = readOptions
        options.schema = given ?? existing
        options.keyColumns = key
        options.inferMissingColumns = true
        let opened = try FileSource.open(paths: files, options: options)
        var request = LoadRequest(
            table: table,
            strategy: strategy,
            keyColumns: key,
            cursorColumn: cursor,
            onConflict: onConflict,
            deleteMissing: deleteMissing,
            force: force,
            indexes: indexes,
            partitioning: partitioning,
            validation: ValidationPolicy(validators: validators, maximumErrors: maxErrors, rejectFile: rejectFile),
            source: files.joined(separator: ","),
            progress: { report in
                progress?.update(records: report.recordsProcessed, bytes: report.bytesRead, total: report.bytesTotal)
            }
        )
        request.recordsHistory = recordsHistory
        let schema = opened.schema.withKey(key)
        try await loader.validate(schema: schema, request: request)
        let stream = RecordStream(
            schema: schema,
            source: opened.stream.source,
            byteCounter: opened.stream.byteCounter,
            opened.stream
        )
        return (try await loader.load(stream, request: request), strategy)
    }
}
