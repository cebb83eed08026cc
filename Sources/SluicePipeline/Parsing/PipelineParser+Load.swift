import Foundation
import Sluice
import SluiceFormats

extension PipelineParser {
    /// The settings of a `kind: load` job.
    mutating func loadJob(_ fields: Fields, table: Located<String>?, target: PipelineTarget?) -> LoadJob? {
        let patterns = files(fields)
        let key = (list(fields, "key") ?? []).map(\.value)
        let strategy = choice(fields, "strategy", among: LoadingStrategy.allCases.map(\.rawValue))
            .flatMap { located in LoadingStrategy(rawValue: located.value).map { Located($0, at: located.location) } }
        let schemaFile = existingFile(fields, "schema")
        checkStrategy(fields, strategy: strategy, key: key, schemaFile: schemaFile)
        let onConflict = choice(fields, "on_conflict", among: ConflictPolicy.allCases.map(\.rawValue))
        var options = fileOptions(fields, keys: JobKeys.fileOutput, target: target)
        options += cacheOptions(fields, target: target)
        let readOptions = input(fields)
        let validators = validatorSpecs(fields)
        let partitioning = partition(fields)
        let indexes = indexLists(fields)
        let maxErrors = integer(fields, "max_errors", in: 0...Int.max)
        guard let table, let patterns else { return nil }
        var job = LoadJob(patterns: patterns.patterns, files: patterns.files, table: table.value)
        job.key = key
        job.strategy = strategy?.value
        job.cursor = string(fields["cursor"], "cursor", in: fields.context)?.value
        job.onConflict = onConflict.flatMap { ConflictPolicy(rawValue: $0.value) } ?? .fail
        job.deleteMissing = boolean(fields, "delete_missing") ?? false
        job.force = boolean(fields, "force") ?? false
        job.recordsHistory = boolean(fields, "history") ?? true
        job.schemaFile = schemaFile
        job.maxErrors = maxErrors ?? 0
        job.rejectFile = string(fields["reject_file"], "reject_file", in: fields.context)?.value
        job.validators = validators
        job.indexes = indexes
        job.partitioning = partitioning
        job.readOptions = readOptions
        job.targetOptions = options
        return job
    }

    /// `files:` — paths and globs, each matching at least one file.
    private mutating func files(_ fields: Fields) -> (patterns: [Located<String>], files: [String])? {
        guard let patterns = list(fields, "files", splitsCommas: false) else {
            diagnostics.error(
                fields.node.location,
                "\(fields.context): missing 'files' (paths or globs, e.g. data/prices-*.csv.gz)"
            )
            return nil
        }
        if patterns.isEmpty { diagnostics.error(fields.node.location, "\(fields.context): 'files' is empty") }
        var matched: [String] = []
        for pattern in patterns {
            let glob = FileGlob(pattern.value)
            let found = glob.matches(relativeTo: directory)
            if found.isEmpty {
                let message =
                    glob.hasWildcards ? "'\(pattern.value)' matches no file" : "no such file '\(pattern.value)'"
                diagnostics.error(
                    pattern.location,
                    "\(fields.context): \(message) (relative paths start at the pipeline file's folder)"
                )
            }
            for file in found where !matched.contains(file) { matched.append(file) }
        }
        return (patterns, matched)
    }

    /// The key a keyed strategy needs, and the options that only some strategies take.
    private mutating func checkStrategy(
        _ fields: Fields,
        strategy: Located<LoadingStrategy>?,
        key: [String],
        schemaFile: Located<String>?
    ) {
        if let strategy, strategy.value.requiresKey, key.isEmpty, schemaFile == nil {
            diagnostics.error(
                strategy.location,
                "\(fields.context): strategy '\(strategy.value.rawValue)' needs a key: give 'key' (e.g. key: [symbol, date]) or a 'schema' file with one"
            )
        }
        let chosen = strategy?.value
        for pair in fields.pairs {
            switch pair.key {
            case "cursor",
                "delete_missing" where chosen != .incremental:
                diagnostics.error(
                    pair.keyLocation,
                    "\(fields.context): '\(pair.key)' applies to strategy 'incremental' only"
                )
            case "on_conflict" where chosen != .insertOnly:
                diagnostics.error(
                    pair.keyLocation,
                    "\(fields.context): 'on_conflict' applies to strategy 'insert-only' only"
                )
            default: break
            }
        }
    }

    /// A path that must name an existing file.
    private mutating func existingFile(_ fields: Fields, _ key: String) -> Located<String>? {
        guard let path = string(fields[key], key, in: fields.context) else { return nil }
        if !FilePaths.isFile(FilePaths.absolute(path.value, relativeTo: directory)) {
            diagnostics.error(path.location, "\(fields.context): no such file '\(path.value)' ('\(key)')")
        }
        return path
    }

    private mutating func validatorSpecs(_ fields: Fields) -> [ValidatorSpec] {
        (list(fields, "validate") ?? []).compactMap { name in
            do {
                return try ValidatorSpec(parsing: name.value)
            } catch {
                let hint = Suggestion.didYouMean(name.value, among: ["positive-price", "ohlc", "not-null"])
                diagnostics.error(
                    name.location,
                    "\(fields.context): unknown validator '\(name.value)'\(hint) (\(ValidatorSpec.forms))"
                )
                return nil
            }
        }
    }

    private mutating func partition(_ fields: Fields) -> Partitioning? {
        guard let text = string(fields["partition_by"], "partition_by", in: fields.context) else { return nil }
        do {
            return try Partitioning(parsing: text.value)
        } catch {
            diagnostics.error(
                text.location,
                "\(fields.context): 'partition_by': \((error as? SluiceError)?.message ?? "\(error)")"
            )
            return nil
        }
    }

    /// `indexes:` — one index (`symbol,date` or `[symbol, date]`) or a list of them.
    private mutating func indexLists(_ fields: Fields) -> [[String]] {
        guard let node = fields["indexes"] else { return [] }
        let items: [YAMLNode]
        if case .sequence(let nodes) = node.content { items = nodes } else { items = [node] }
        var result: [[String]] = []
        for item in items {
            let one = Fields(
                node: item,
                pairs: [YAMLNode.Pair(key: "index", keyLocation: item.location, value: item)],
                context: fields.context
            )
            let columns = (list(one, "index") ?? []).map(\.value)
            if columns.isEmpty {
                diagnostics.error(item.location, "\(fields.context): an index names one or more columns")
            } else {
                result.append(columns)
            }
        }
        return result
    }

    /// `input:` — how the files are read.
    private mutating func input(_ fields: Fields) -> ReadOptions {
        var options = ReadOptions()
        guard let node = fields["input"],
            let input = self.fields(node, context: "'input' of \(fields.context)", allowed: JobKeys.input)
        else {
            return options
        }
        options.format = choice(input, "format", among: FileFormat.allCases.map(\.rawValue)).flatMap {
            FileFormat(rawValue: $0.value)
        }
        options.compression = choice(input, "compression", among: Compression.allCases.map(\.rawValue)).flatMap {
            Compression(rawValue: $0.value)
        }
        if let delimiter = string(input["delimiter"], "delimiter", in: input.context) {
            if delimiter.value == "\t" || delimiter.value == "\\t" {
                options.delimiter = UInt8(ascii: "\t")
            } else if delimiter.value.utf8.count == 1 {
                options.delimiter = delimiter.value.utf8.first
            } else {
                diagnostics.error(
                    delimiter.location,
                    "\(input.context): 'delimiter' must be one ASCII character (or \\t)"
                )
            }
        }
        if let quote = string(input["quote"], "quote", in: input.context) {
            if quote.value.utf8.count == 1, let byte = quote.value.utf8.first {
                options.quote = byte
            } else {
                diagnostics.error(quote.location, "\(input.context): 'quote' must be one ASCII character")
            }
        }
        options.hasHeader = boolean(input, "header") ?? true
        options.batchSize = integer(input, "batch_size", in: 1...1_000_000) ?? 8192
        return options
    }
}
