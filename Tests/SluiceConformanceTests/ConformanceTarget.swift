import Foundation
import Sluice
import SluiceFiles
import SluicePostgres
import SluiceRedis
import SluiceSQLite
import SluiceTesting
import Testing

/// A target the conformance suite runs against: a name, the factories that open it, and a way to make a fresh,
/// empty target.
///
/// A new target joins the suite by adding one line to ``all``.
struct ConformanceTarget: Sendable, CustomTestStringConvertible {
    /// The target's name in test output.
    let name: String
    /// The factories that open the target's URLs.
    let factories: [any LoaderFactory]
    /// Makes a fresh, empty target and returns its URL with a clean-up to run after the loader closed.
    let makeTarget: @Sendable () async throws -> (url: String, cleanUp: @Sendable () -> Void)

    var testDescription: String { name }

    /// Every target the suite covers.
    static let all: [ConformanceTarget] = [.sqlite, .postgres, .files, .redis]

    /// SQLite, in a database file in a temporary directory.
    static let sqlite = ConformanceTarget(name: "sqlite", factories: [SQLiteLoader.factory]) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sluice-conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("test.sqlite").path
        return ("sqlite:" + path, { try? FileManager.default.removeItem(at: directory) })
    }

    /// The file target, in a temporary directory, with its defaults (Parquet, zstd pages); the other formats and
    /// codecs are tested in SluiceFilesTests.
    static let files = ConformanceTarget(name: "files", factories: [FileLoader.factory]) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sluice-conformance-\(UUID().uuidString)")
        return (
            "file:" + directory.path + "?format=csv&compression=zstd",
            {
                try? FileManager.default.removeItem(at: directory)
            }
        )
    }

    /// PostgreSQL, in a database of its own on the test server (``PostgresServer/shared``). The database is not
    /// dropped: `DROP DATABASE` waits for every session of the cluster, other tests' busy loads included, and the
    /// cluster goes away with the test process anyway.
    static let postgres = ConformanceTarget(name: "postgres", factories: [PostgresLoader.factory]) {
        let server = try PostgresServer.shared
        let database = try server.createDatabase(prefix: "conformance")
        return (server.url(database: database), {})
    }

    /// Redis, on the test server (``RedisServer/shared``), in a namespace of its own: its tables' keys never meet
    /// another test's.
    static let redis = ConformanceTarget(name: "redis", factories: [RedisLoader.factory]) {
        let server = try RedisServer.shared
        let namespace = "conformance-\(UUID().uuidString.prefix(8))"
        return (server.url() + "?namespace=" + namespace, {})
    }

    /// Runs `body` with a loader on a fresh target, opened the way users open it (``Sluice/withLoader(_:factories:logger:_:)``),
    /// and cleans up afterwards.
    func withLoader<T: Sendable>(_ body: (any Loader) async throws -> T) async throws -> T {
        let (url, cleanUp) = try await makeTarget()
        defer { cleanUp() }
        return try await Sluice.withLoader(url, factories: factories, body)
    }
}
