import ArgumentParser
import Foundation
import Logging
import Sluice
import SluiceFormats
import SluicePipeline

/// `sluice load FILE... --into URL --table T …`: load files with a strategy and record a version.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load CSV, TSV, JSON, JSONL or Parquet files (plain or compressed) into a target.",
        discussion: """
            The load is atomic: it commits with its data version, or changes nothing. Exit status 0 only on success.
            Strategies: insert-only, update-only, upsert, replace, append, incremental (default: upsert when --key
            or the existing table gives a key, else append).
            """
    )

    @Argument(help: "Input files (format and compression detected from the bytes).")
    var files: [String]

    @OptionGroup var target: TargetOptions

    @Option(help: "The table to load into.")
    var table: String

    @Option(help: "Key columns, comma-separated (e.g. symbol,date).")
    var key: String?

    @Option(help: "insert-only, update-only, upsert, replace, append or incremental.")
    var strategy: String?

    @Option(help: "Cursor column for --strategy incremental (load rows past the last load's watermark).")
    var cursor: String?

    @Option(name: .customLong("on-conflict"), help: "Under insert-only: fail (default) or skip existing keys.")
    var onConflict = "fail"

    @Flag(name: .customLong("delete-missing"), help: "Under incremental: delete keys the input no longer has.")
    var deleteMissing = false

    @Flag(help: "Load even if the same input was loaded before (append reruns are otherwise no-ops).")
    var force = false

    @Flag(
        name: .customLong("no-history"),
        help: "Do not record before-images (SQLite, PostgreSQL): faster, but no diff or rollback across this load."
    )
    var noHistory = false

    @Option(help: "A JSON schema file ({\"columns\":[{\"name\":…,\"type\":\"decimal(18,4)\"}],\"key\":[…]}).")
    var schema: String?

    @Option(name: .customLong("max-errors"), help: "Rejected rows tolerated before the load fails (default 0).")
    var maxErrors = 0

    @Option(name: .customLong("reject-file"), help: "Write rejected rows as JSON lines (reason, file, line).")
    var rejectFile: String?

    @Option(
        name: .customLong("validate"),
        help: "Built-in validators, comma-separated: positive-price, ohlc, not-null:COL[:COL…]."
    )
    var validatorNames: String?

    @Option(
        name: .customLong("index"),
        help: "A secondary index to make after the data, columns comma-separated (repeatable: --index date)."
    )
    var indexSpecs: [String] = []

    @Option(
        name: .customLong("partition-by"),
        help: "Partition a new table by time: COLUMN:day, COLUMN:month or COLUMN:year (PostgreSQL and file targets)."
    )
    var partitionBy: String?

    @OptionGroup var reading: ReadingOptions
    @OptionGroup var writing: WritingOptions
    @OptionGroup var cache: CacheOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var observability: ObservabilityOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one input file") }
        if let strategy, LoadingStrategy(rawValue: strategy) == nil {
            throw ValidationError(
                "--strategy must be one of \(LoadingStrategy.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        guard ConflictPolicy(rawValue: onConflict) != nil else {
            throw ValidationError("--on-conflict must be fail or skip")
        }
        guard maxErrors >= 0 else { throw ValidationError("--max-errors must be 0 or more") }
        _ = try validators()
        for spec in indexSpecs where Self.columns(spec).isEmpty {
            throw ValidationError("--index '\(spec)': name one or more columns, comma-separated (e.g. symbol,date)")
        }
        _ = try partitioning()
        _ = try cache.applied(to: writing.applied(to: target.resolved))
    }

    /// `--index` values as column lists.
    var indexes: [[String]] { indexSpecs.map(Self.columns) }

    /// `--partition-by`, parsed.
    func partitioning() throws -> Partitioning? {
        do {
            return try partitionBy.map(Partitioning.init(parsing:))
        } catch let error as SluiceError {
            throw ValidationError("--partition-by: \(error.message)")
        }
    }

    static func columns(_ list: String) -> [String] {
        list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    var keyColumns: [String] { Self.columns(key ?? "") }

    func validators() throws -> [any RecordValidator] {
        do {
            return try ValidatorSpec.list(validatorNames ?? "").map(\.validator)
        } catch let error as SluiceError {
            throw ValidationError(error.message)
        }
    }

    /// The load these options describe.
    func operation() throws -> LoadOperation {
        var operation = LoadOperation(
            files: files,
            url: try cache.applied(to: writing.applied(to: target.resolved)),
            table: table
        )
        operation.key = keyColumns
        operation.strategy = strategy.flatMap(LoadingStrategy.init(rawValue:))
        operation.cursor = cursor
        operation.onConflict = ConflictPolicy(rawValue: onConflict) ?? .fail
        operation.deleteMissing = deleteMissing
        operation.force = force
        operation.recordsHistory = !noHistory
        operation.schemaFile = schema
        operation.maxErrors = maxErrors
        operation.rejectFile = rejectFile
        operation.validators = try validators()
        operation.indexes = indexes
        operation.partitioning = try partitioning()
        operation.readOptions = reading.readOptions()
        return operation
    }

    func run() async throws {
        try await observability.run { logger in try await run(logger: logger) }
    }

    /// The load under a logger carrying the load's id (`load_id`) and table; a failure is counted in
    /// `sluice_loads_total` (a load that completes counts itself).
    private func run(logger: Logger) async throws {
        let progress = ProgressLine()
        let loadID = UUIDv7.make()
        var logger = logger
        logger[metadataKey: "load_id"] = "\(loadID)"
        logger[metadataKey: "table"] = "\(table)"
        do {
            let operation = try operation()
            logger.debug(
                "load started",
                metadata: ["target": "\(URLRedaction.redacted(operation.url))", "files": "\(files.count)"]
            )
            let (result, strategy) = try await operation.run(logger: logger, progress: progress)
            progress.finish()
            logger.debug("load finished", metadata: ["version_id": "\(result.currentVersionID ?? "")"])
            LoadReport(result: result, strategy: strategy, target: target.resolved, files: files, loadID: loadID)
                .print(json: output.json)
        } catch {
            progress.finish()
            LoadMetricsEmitter(target: target.resolved, table: table).failed()
            logger.debug("load failed", metadata: ["error": "\(ErrorText.oneLine(error))"])
            if output.json {
                var object = JSONObject()
                object["success"] = .bool(false)
                object["error"] = .string(ErrorText.oneLine(error))
                Terminal.print(object.text)
            }
            Terminal.report(error)
            throw ExitCode.failure
        }
    }
}

/// Reads `--schema` files: `{"columns":[{"name":"close","type":"decimal(18,4)","nullable":true}],"key":["symbol"]}`.
enum SchemaFile {
    static func read(_ path: String) throws -> Schema {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SluiceError(.io, "\(path): cannot read the schema file")
        }
        do {
            let decoded = try JSONDecoder().decode(Schema.self, from: data)
            return Schema(columns: decoded.columns, keyColumns: decoded.keyColumns)
        } catch let error as DecodingError {
            throw SluiceError(.invalidRequest, "\(path): not a schema file: \(SchemaFile.describe(error))")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
            return context.debugDescription
        case .keyNotFound(let key, _): return "missing '\(key.stringValue)'"
        @unknown default: return "invalid"
        }
    }
}
