import Foundation
import Sluice
import SluiceSQLite
import Testing

/// A target the conformance suite runs against: a name and a way to open a fresh, empty loader.
///
/// A new target joins the suite by adding one line to ``all``.
struct ConformanceTarget: Sendable, CustomTestStringConvertible {
    /// The target's name in test output.
    let name: String
    /// Opens a loader on a fresh, empty target and returns it with a clean-up to run after `close()`.
    let open: @Sendable () async throws -> (loader: any Loader, cleanUp: @Sendable () -> Void)

    var testDescription: String { name }

    /// Every target the suite covers.
    static let all: [ConformanceTarget] = [.sqlite]

    /// SQLite, in a database file in a temporary directory.
    static let sqlite = ConformanceTarget(name: "sqlite") {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sluice-conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("test.sqlite").path
        let loader = try SQLiteLoader(url: try TargetURL("sqlite:" + path))
        return (loader, { try? FileManager.default.removeItem(at: directory) })
    }

    /// Runs `body` with a loader on a fresh target, closing it and cleaning up afterwards.
    func withLoader<T>(_ body: (any Loader) async throws -> T) async throws -> T {
        let (loader, cleanUp) = try await open()
        defer { cleanUp() }
        do {
            let result = try await body(loader)
            try await loader.close()
            return result
        } catch {
            try? await loader.close()
            throw error
        }
    }
}
