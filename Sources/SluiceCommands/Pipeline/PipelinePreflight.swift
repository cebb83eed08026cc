import Foundation
import Sluice
import SluicePipeline
import SluicePostgres
import SluiceRedis

/// The checks a pipeline needs before anything runs that only the CLI's modules can make: a PostgreSQL URL's
/// options (`sslmode=`, `pool_size=`, …) and a Redis URL's options (`ttl=`, `value_format=`, …), parsed without
/// connecting, each reported once per URL where a job first names it; and load jobs' `schema:` files, read as
/// `sluice load --schema` reads them (relative to `directory`), with the key a keyed strategy needs.
enum PipelinePreflight {
    static func problems(_ pipeline: Pipeline, directory: String) -> [PipelineDiagnostic] {
        targetProblems(pipeline) + pipeline.jobs.compactMap { schemaProblem($0, directory: directory) }
    }

    private static func schemaProblem(_ job: PipelineJob, directory: String) -> PipelineDiagnostic? {
        guard case .load(let load) = job.action, let file = load.schemaFile else { return nil }
        let path = file.value.hasPrefix("/") ? file.value : directory + "/" + file.value
        do {
            let schema = try SchemaFile.read(path)
            guard let strategy = load.strategy, strategy.requiresKey, load.key.isEmpty, schema.keyColumns.isEmpty
            else { return nil }
            return PipelineDiagnostic(
                file.location,
                "job '\(job.name)': strategy '\(strategy.rawValue)' needs a key, and schema file '\(file.value)' has none"
            )
        } catch {
            // Name the file as the pipeline does, not by the absolute path it was read from.
            let message = ((error as? SluiceError)?.message ?? "\(error)").replacingOccurrences(
                of: path,
                with: file.value
            )
            return PipelineDiagnostic(file.location, "job '\(job.name)': 'schema': \(message)")
        }
    }

    private static func targetProblems(_ pipeline: Pipeline) -> [PipelineDiagnostic] {
        var checked = Set<String>()
        var problems: [PipelineDiagnostic] = []
        for target in pipeline.jobs.flatMap(\.targets) where checked.insert(target.url).inserted {
            if let message = problem(target.url) {
                let context = target.name.map { "target '\($0)'" } ?? "target"
                problems.append(PipelineDiagnostic(target.location, "\(context): \(message)"))
            }
        }
        return problems
    }

    /// Why `url` cannot be opened, as its target's parser says (never repeating a password), or `nil`.
    private static func problem(_ url: String) -> String? {
        do {
            let parsed = try TargetURL(url)
            switch parsed.scheme {
            case "postgres": _ = try PostgresLoader.Configuration.parse(parsed)
            case "redis", "rediss": _ = try RedisTarget(url)
            default: break
            }
            return nil
        } catch let error as SluiceError {
            return error.message
        } catch {
            return "\(error)"
        }
    }
}
