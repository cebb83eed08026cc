import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Sluice

/// The PostgreSQL target: a postgres-nio connection pool, `COPY` for the bulk path, a temporary staging table
/// and set-based SQL for the keyed strategies, one transaction per load, and Sluice's own tables
/// (`_sluice_tables`, `_sluice_versions`) in the same database.
///
/// Open it with ``Sluice/withLoader(_:factories:logger:_:)`` so that the pool runs exactly as long as the body:
///
/// ```swift
/// try await withLoader("postgres://etl@db:5432/market", factories: [PostgresLoader.factory]) { loader in
///     try await loader.load(prices, into: "stock_prices", key: ["symbol", "date"], strategy: .upsert)
/// }
/// ```
///
/// Column storage: `bool` → `boolean`, `int64` → `bigint`, `double` → `double precision`, `decimal(p,s)` →
/// `numeric(p,s)`, `string` → `text`, `date` → `date`, `timestamp` → `timestamptz`, `bytes` → `bytea`, `json` →
/// `json` (kept verbatim, so it digests like the input).
public final class PostgresLoader: Loader {
    /// The target's URL with the password redacted.
    public let target: String
    /// The settings the loader was opened with.
    public let configuration: Configuration
    let client: PostgresClient
    let logger: Logger

    /// The factory that opens `postgres://` and `postgresql://` URLs, for ``Sluice/withLoader(_:factories:logger:_:)``.
    public static let factory: any LoaderFactory = PostgresLoaderFactory()

    init(client: PostgresClient, configuration: Configuration, target: String, logger: Logger) {
        self.client = client
        self.configuration = configuration
        self.target = target
        self.logger = logger
    }

    /// How opening a loader retries a server it cannot reach: five more tries over about 8 s (0.25 s doubling to
    /// 4 s), enough for a server that is restarting, short enough for a wrong port to fail fast.
    static let openRetry = RetryPolicy(maximumAttempts: 6, initialDelay: 0.25, maximumDelay: 4)

    /// Creates a pool for `configuration`, runs it beside `body` in a task group, and shuts it down when `body`
    /// returns or throws: structured concurrency, no unstructured tasks.
    public static func withLoader<Result: Sendable>(
        configuration: Configuration,
        target: String? = nil,
        logger: Logger = Logger(label: "sluice.postgres"),
        _ body: (PostgresLoader) async throws -> Result
    ) async throws -> Result {
        // The pool's own log lines (a lease racing the start of `run()`, idle connections closing) are noise to a
        // loader's user; failures reach them as errors.
        var backgroundLogger = logger
        backgroundLogger.logLevel = max(logger.logLevel, .error)
        // One direct connection first: a wrong password, a missing database or a refused certificate fails now, in
        // one line, instead of after the pool's connection backoff gives up (about a minute). A transient failure
        // (connection refused, the server starting up) is tried again for a few seconds (``openRetry``), then
        // reported as transient; the pool never sees a server that was not there.
        let probeTarget = target ?? configuration.description
        try await openRetry.run {
            if let failure = await ConnectionProbe.failure(configuration, target: probeTarget, logger: logger) {
                throw failure
            }
        }
        let client = PostgresClient(
            configuration: try clientConfiguration(configuration, target: target ?? configuration.description),
            backgroundLogger: backgroundLogger
        )
        let loader = PostgresLoader(
            client: client,
            configuration: configuration,
            target: target ?? configuration.description,
            logger: logger
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            do {
                let result = try await body(loader)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    /// Nothing to do: the pool is shut down when the scope that opened it ends.
    public func close() async throws {}

    /// The postgres-nio configuration for `configuration`: TLS from `sslmode`, the pool size, and startup
    /// parameters that make the server's text output exact and stable (`TimeZone=UTC`, `DateStyle=ISO`,
    /// `extra_float_digits=1`, `bytea_output=hex`).
    static func clientConfiguration(
        _ configuration: Configuration,
        target: String
    ) throws -> PostgresClient.Configuration {
        var client = PostgresClient.Configuration(
            host: configuration.host,
            port: configuration.port,
            username: configuration.username,
            password: configuration.password,
            database: configuration.database,
            tls: try tls(configuration, target: target)
        )
        client.options.maximumConnections = configuration.poolSize
        var parameters = [
            ("application_name", configuration.applicationName), ("TimeZone", "UTC"), ("DateStyle", "ISO, YMD"),
            ("extra_float_digits", "1"), ("bytea_output", "hex"), ("client_encoding", "UTF8"),
        ]
        if let searchPath = configuration.searchPath { parameters.append(("search_path", searchPath)) }
        client.options.additionalStartupParameters = parameters
        return client
    }

    private static func tls(_ configuration: Configuration, target: String) throws -> PostgresClient.Configuration.TLS {
        do {
            guard let settings = try tlsSettings(configuration) else { return .disable }
            return settings.required ? .require(settings.configuration) : .prefer(settings.configuration)
        } catch {
            throw SluiceError(.io, "\(target): cannot read sslrootcert '\(configuration.sslRootCertificate ?? "")'")
        }
    }

    /// The TLS settings `sslmode` asks for (`nil`: no TLS), and whether TLS is required.
    static func tlsSettings(_ configuration: Configuration) throws -> (configuration: TLSConfiguration, required: Bool)?
    {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = configuration.sslRootCertificate {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(file))
        }
        switch configuration.sslMode {
        case .disable: return nil
        case .prefer:
            tls.certificateVerification = .none
            return (tls, false)
        case .require:
            if configuration.sslRootCertificate == nil { tls.certificateVerification = .none }
            return (tls, true)
        case .verifyFull:
            tls.certificateVerification = .fullVerification
            return (tls, true)
        }
    }

    /// `error` as a ``Sluice/SluiceError`` naming the target; when the pool gave up connecting, the reason found by
    /// one direct connection attempt.
    func mapped(_ error: any Error) async -> any Error {
        guard PostgresFailure.isClientError(error), !(error is PSQLError) else {
            return PostgresFailure.mapped(error, target: target)
        }
        if let failure = await ConnectionProbe.failure(configuration, target: target, logger: logger) {
            return failure
        }
        return PostgresFailure.mapped(error, target: target)
    }

    /// Leases a connection, mapping postgres-nio errors to ``Sluice/SluiceError``s naming the target.
    func withConnection<Result: Sendable>(
        _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        do {
            return try await client.withConnection { connection in try await body(connection) }
        } catch {
            throw await mapped(error)
        }
    }
}

/// Opens ``PostgresLoader``s for `postgres://` and `postgresql://` URLs.
public struct PostgresLoaderFactory: LoaderFactory {
    public let schemes = ["postgres", "postgresql"]

    /// Creates the factory.
    public init() {}

    /// Always throws: a PostgreSQL loader owns a connection pool that must run beside its user, so it opens only
    /// through the scoped ``withLoader(url:logger:_:)``.
    public func makeLoader(url: TargetURL, logger: Logger) async throws -> any Loader {
        throw SluiceError(.invalidRequest, "open PostgreSQL loaders with withLoader(_:factories:)")
    }

    /// Parses `url` (``PostgresLoader/Configuration/parse(_:environment:)``), runs the pool beside `body` and shuts
    /// it down when `body` ends.
    public func withLoader<Result: Sendable>(
        url: TargetURL,
        logger: Logger,
        _ body: (any Loader) async throws -> Result
    ) async throws -> Result {
        let configuration = try PostgresLoader.Configuration.parse(url)
        return try await PostgresLoader.withLoader(configuration: configuration, target: url.redacted, logger: logger) {
            try await body($0)
        }
    }
}
