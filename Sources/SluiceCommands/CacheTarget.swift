import ArgumentParser
import Foundation
import RESP
import Sluice
import SluiceRedis

/// `--target URL` of the cache commands: a Redis server or cluster.
struct CacheTargetOptions: ParsableArguments {
    @Option(
        name: .customLong("target"),
        help: """
            redis://[USER:PASSWORD@]HOST:PORT/DB (rediss:// for TLS); a cluster with ?cluster=true or several \
            hosts (redis://HOST1:PORT1,HOST2:PORT2). The loader's options (namespace=, ttl=, …) are accepted. \
            Default $SLUICE_TARGET.
            """
    )
    var url: String?

    /// The parsed target.
    ///
    /// - Throws: `ValidationError` without a URL; ``Sluice/SluiceError`` for a URL that is not a Redis target
    ///   (never repeating the URL, which may hold a password).
    func resolved() throws -> CacheTarget {
        guard let text = url ?? ProcessEnvironment.value("SLUICE_TARGET") else {
            throw ValidationError("give the Redis server with --target redis://HOST:PORT/DB")
        }
        return CacheTarget(redis: try RedisTarget(text))
    }
}

/// The Redis server or cluster a cache command works on, and how it reports failures.
struct CacheTarget {
    /// The parsed URL.
    var redis: RedisTarget

    /// Whether it is a Redis Cluster (`cluster=true`, or several hosts).
    var isCluster: Bool { redis.isCluster }

    /// How to reach the server (a cluster's seed: the first host) and log in.
    var configuration: RESPConnection.Configuration { RESPConnection.Configuration(url: redis.connection) }

    /// The URL with `***` for the password.
    var redacted: String { redis.redacted }

    /// Runs `body` with a connection to the (single) server, closed afterwards.
    func withConnection<Result>(_ body: (RESPConnection) async throws -> Result) async throws -> Result {
        try await withRESPConnection(configuration, body)
    }

    /// `error` as one line naming the command and the target (redacted); a refused request stays as it is.
    func failure(_ command: String, _ error: any Error) -> any Error {
        if let error = error as? SluiceError, error.code == .invalidRequest { return error }
        return SluiceError(.targetFailure, "\(command) \(redacted): \(error)", underlying: error)
    }
}
