import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Sluice

/// Finds out why the pool cannot connect: the pool reports only that it gave up (`ConnectionPoolError`), so one
/// direct connection with the same settings is tried, and its error (refused, wrong password, no such database) is
/// the one reported.
enum ConnectionProbe {
    /// The reason a connection with `configuration` fails, as a ``Sluice/SluiceError`` naming `target`; `nil` when it
    /// succeeds.
    static func failure(
        _ configuration: PostgresLoader.Configuration,
        target: String,
        logger: Logger
    ) async -> SluiceError? {
        do {
            var settings = PostgresConnection.Configuration(
                host: configuration.host,
                port: configuration.port,
                username: configuration.username,
                password: configuration.password,
                database: configuration.database,
                tls: try tls(configuration)
            )
            settings.options.connectTimeout = .seconds(10)
            let connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.any(),
                configuration: settings,
                id: 0,
                logger: logger
            ).get()
            try? await connection.close()
            return nil
        } catch {
            let mapped = PostgresFailure.mapped(error, target: target)
            return mapped as? SluiceError ?? SluiceError(.targetFailure, "\(target): cannot connect")
        }
    }

    private static func tls(
        _ configuration: PostgresLoader.Configuration
    ) throws -> PostgresConnection.Configuration.TLS {
        let settings = try PostgresLoader.tlsSettings(configuration)
        guard let settings else { return .disable }
        let context = try NIOSSLContext(configuration: settings.configuration)
        return settings.required ? .require(context) : .prefer(context)
    }
}
