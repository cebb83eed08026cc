import Foundation
import Logging
import NIOCore
import NIOPosix
import RESP
import Sluice

/// Loads records into Redis as a cache: a key per row (`namespace:table:key-parts`) holding JSON, MessagePack, a
/// plain string or a hash, with TTL policies; a table without a key becomes streams (`XADD`).
///
/// Open it with ``Sluice/withLoader(_:factories:logger:_:)`` so that its connections always close:
///
/// ```swift
/// try await withLoader("redis://localhost:6379/0?namespace=md&ttl=300", factories: [RedisLoader.factory]) { loader in
///     try await loader.load(prices, into: "prices", key: ["symbol", "date"], strategy: .upsert)
/// }
/// ```
///
/// Redis has no transaction that spans a bulk load, so the loader keeps the table's key state (every key with
/// its row's digest) beside the data and writes the version record last. Input problems (a bad row past the
/// threshold, a duplicate key under insert-only, a value over the maximum) are found before anything that
/// existed is overwritten, and the new keys already written are removed again. See `docs/RedisTarget.md`.
public struct RedisLoader: Loader {
    /// The target with the password redacted.
    public let target: String
    /// The parsed target: the server and the layout options.
    public let options: RedisTarget
    let server: CacheServer
    let logger: Logger

    /// The factory that opens `redis://` and `rediss://` URLs.
    public static let factory: any LoaderFactory = RedisLoaderFactory()

    init(options: RedisTarget, server: CacheServer, logger: Logger) {
        self.options = options
        self.target = options.redacted
        self.server = server
        self.logger = logger
    }

    /// Opens the connections `url` names, runs `body` with a loader, and closes them when `body` ends.
    public static func withLoader<Result: Sendable>(
        url: String,
        logger: Logger = Logger(label: "sluice.redis"),
        _ body: (RedisLoader) async throws -> Result
    ) async throws -> Result {
        let options = try RedisTarget(url)
        var connection = RESPConnection.Configuration(url: options.connection)
        connection.clientName = connection.clientName ?? "sluice"
        let configuration = RESPClient.Configuration(connection: connection, maximumConnections: 4)
        if options.isCluster {
            return try await withRESPClusterClient(configuration, logger: logger) { client in
                try await body(RedisLoader(options: options, server: .cluster(client), logger: logger))
            }
        }
        return try await withRESPClient(configuration, logger: logger) { client in
            try await body(RedisLoader(options: options, server: .single(client), logger: logger))
        }
    }

    func keys(_ table: String) -> CacheTableKeys { CacheTableKeys(namespace: options.namespace, table: table) }

    public func close() async throws {}

    // MARK: Versions and state

    public func versions(table: String) async throws -> [DataVersion] {
        let reply = try await server.send(RESPCommand("LRANGE", .string(keys(table).versions), 0, -1))
        return try (reply.elements ?? []).map { try Self.decodeVersion($0, table: table) }
    }

    /// The latest version of `table`, if any.
    func latestVersion(_ table: String) async throws -> DataVersion? {
        let reply = try await server.send(RESPCommand("LINDEX", .string(keys(table).versions), -1))
        if reply.isNull { return nil }
        return try Self.decodeVersion(reply, table: table)
    }

    static func decodeVersion(_ reply: RESPValue, table: String) throws -> DataVersion {
        guard let text = reply.string else {
            throw SluiceError(.targetFailure, "table '\(table)': a version record is not text")
        }
        do {
            return try JSONDecoder().decode(DataVersion.self, from: Data(text.utf8))
        } catch {
            throw SluiceError(.targetFailure, "table '\(table)': a version record is damaged (\(error))")
        }
    }

    /// The key state `version` recorded (empty for none).
    func state(of version: DataVersion?, table: String) async throws -> CacheTableState {
        guard let version else { return CacheTableState() }
        var state = CacheTableState(capacity: version.recordCount)
        let count = Int(version.metadata[CacheTableLayout.chunksKey] ?? "0") ?? 0
        let names = (0..<count).map { keys(table).state(version: version.id, chunk: $0) }
        let replies = try await server.replies(names.map { RESPCommand("GET", .string($0)) })
        for (name, reply) in zip(names, replies) {
            guard case .bulkString(var buffer) = reply, let bytes = buffer.readBytes(length: buffer.readableBytes)
            else {
                throw SluiceError(
                    .targetFailure,
                    "table '\(table)': key state \(name) of version \(version.id) is missing (flushed or evicted?)"
                )
            }
            try state.decode(chunk: bytes, name: name)
        }
        return state
    }

    public func schema(of table: String) async throws -> Schema? {
        try await latestVersion(table)?.schema
    }

    public func validate(schema: Schema, request: LoadRequest) async throws {
        let parent = try await latestVersion(request.table)
        let plan = try LoadPlan.make(input: schema, request: request, existing: parent?.schema)
        try Self.refuseUnsupported(request)
        _ = try CacheTableLayout.resolve(target: options, plan: plan, parent: parent)
    }

    /// Indexes and partitions have no meaning in a cache: a request asking for them fails before anything is read.
    static func refuseUnsupported(_ request: LoadRequest) throws {
        if let columns = request.indexes.first {
            throw SluiceError(
                .invalidRequest,
                "index (\(columns.joined(separator: ", "))) is not supported by the Redis target: keys are the index"
            )
        }
        if request.partitioning != nil {
            throw SluiceError(
                .invalidRequest,
                "--partition-by is not supported by the Redis target (put the date in the key template instead)"
            )
        }
    }

    public func optimize(table: String?) async throws -> OptimizationReport {
        OptimizationReport(bytesBefore: nil, bytesAfter: nil, operations: [], durationSeconds: 0)
    }
}

/// Opens ``RedisLoader``s for `redis://` and `rediss://` URLs.
struct RedisLoaderFactory: LoaderFactory {
    var schemes: [String] { ["redis", "rediss"] }

    func makeLoader(url: TargetURL, logger: Logger) async throws -> any Loader {
        throw SluiceError(.invalidRequest, "open Redis loaders with withLoader(_:factories:)")
    }

    func withLoader<Result: Sendable>(
        url: TargetURL,
        logger: Logger,
        _ body: (any Loader) async throws -> Result
    ) async throws -> Result {
        let text = url.scheme + ":" + (url.hasAuthority ? "//" : "") + url.rest
        return try await RedisLoader.withLoader(url: text, logger: logger) { try await body($0) }
    }
}
