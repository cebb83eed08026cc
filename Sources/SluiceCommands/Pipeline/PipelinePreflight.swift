import Sluice
import SluicePipeline
import SluicePostgres
import SluiceRedis

/// The target checks a pipeline needs before anything runs that only the targets' modules can make: a PostgreSQL
/// URL's options (`sslmode=`, `pool_size=`, …) and a Redis URL's options (`ttl=`, `value_format=`, …), parsed
/// without connecting. Each problem is reported once per URL, where a job first names it.
enum PipelinePreflight {
    static func problems(_ pipeline: Pipeline) -> [PipelineDiagnostic] {
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
