import Foundation
import RESP
import Sluice
import SluiceTesting
import Testing

@testable import SluiceRedis

/// A keyed load that did not finish leaves its mark; the next load of the table — any strategy, any input —
/// repairs the table first: it unlinks the keys the dead load added, and records what the keys it touched hold.
/// Each test builds what a dead load leaves by hand, so the outcome is exact.
@Suite("Redis: the load after an unfinished one repairs the table")
struct CacheTableRepairTests {
    static let base = (0..<20).map {
        PriceRows.row("AAPL", CivilDate(daysSinceEpoch: Int32(19_000 + $0)).description, "1.0000")
    }

    /// The namespace's table `prices` loaded with ``base``; returns the URL, namespace and its first version.
    static func loaded() async throws -> (url: String, namespace: String, version: String) {
        let (url, namespace) = try RedisLoaderTests.url()
        let result = try await RedisLoaderTests.load(Self.base, into: url)
        return (url, namespace, try #require(result.version?.id))
    }

    /// What a dead load leaves: its mark, keys it added, and existing keys it overwrote or deleted (its mark then
    /// says it had begun touching existing keys, as a load does before it writes them).
    static func leaveDeadLoad(
        namespace: String,
        parent: String,
        added: [String],
        overwritten: [String],
        deleted: [String]
    ) async throws {
        let server = try RedisServer.shared
        for key in added {
            try server.cli("SET", key, #"{"symbol":"ZZZ","date":"2024-01-01","close":9.0000,"volume":1}"#)
        }
        for key in overwritten {
            let value = try server.cli("GET", key)
            try server.cli("SET", key, value.replacingOccurrences(of: #""close":1.0000"#, with: #""close":7.5000"#))
        }
        for key in deleted { try server.cli("DEL", key) }
        let configuration = RESPClient.Configuration(connection: try .init(url: try RedisServer.shared.url()))
        try await withRESPClient(configuration) { client in
            let cache = CacheServer.single(client)
            let keys = CacheTableKeys(namespace: namespace, table: "prices")
            var mark = CacheLoadMark(load: "dead-load", parent: parent)
            mark.touchesExisting = !(overwritten + deleted).isEmpty
            try await mark.write(keys, server: cache)
        }
    }

    static func key(_ namespace: String, _ row: Int) -> String {
        "\(namespace):prices:AAPL:\(CivilDate(daysSinceEpoch: Int32(19_000 + row)).description)"
    }

    @Test("an upsert of other rows: the dead load's keys are unlinked, its values kept and recorded, verify passes")
    func upsertOfOtherRows() async throws {
        let (url, namespace, version) = try await Self.loaded()
        let added = ["\(namespace):prices:ZZZ:2024-01-01", "\(namespace):prices:ZZZ:2024-01-02"]
        try await Self.leaveDeadLoad(
            namespace: namespace,
            parent: version,
            added: added,
            overwritten: [Self.key(namespace, 0), Self.key(namespace, 1), Self.key(namespace, 2)],
            deleted: [Self.key(namespace, 3)]
        )
        #expect(try await !RedisLoaderTests.verify(url).isValid)
        let other = [PriceRows.row("MSFT", "2024-01-02", "2.0000")]
        let result = try await RedisLoaderTests.load(other, into: url)
        #expect(result.metrics.recordsInserted == 1 && result.metrics.recordsUpdated == 0)
        #expect(
            result.notes == [
                "repaired the table after the unfinished load dead-load: unlinked 2 keys it added, kept 3 values it "
                    + "wrote, 1 keys it deleted are gone"
            ]
        )
        #expect(result.version?.metadata["repaired"]?.hasPrefix("after the unfinished load dead-load") == true)
        let server = try RedisServer.shared
        for key in added { #expect(try server.cli("EXISTS", key) == "0", "\(key)") }
        #expect(try server.cli("EXISTS", "{\(namespace):prices}:_sluice:pending") == "0")
        let verification = try await RedisLoaderTests.verify(url)
        #expect(verification.isValid && verification.actualRecordCount == 20, "\(verification)")
    }

    @Test("a rerun of the original data rewrites the values the dead load wrote: the table is the first version's")
    func rerunRestores() async throws {
        let (url, namespace, version) = try await Self.loaded()
        try await Self.leaveDeadLoad(
            namespace: namespace,
            parent: version,
            added: ["\(namespace):prices:ZZZ:2024-01-01"],
            overwritten: [Self.key(namespace, 5)],
            deleted: [Self.key(namespace, 6)]
        )
        let result = try await RedisLoaderTests.load(Self.base, into: url)
        #expect(result.metrics.recordsUpdated == 1 && result.metrics.recordsInserted == 1)
        let first = try await withLoader(url, factories: [RedisLoader.factory]) {
            try await $0.versions(table: "prices").first
        }
        #expect(result.checksum == first?.checksum)
        #expect(try await RedisLoaderTests.verify(url).isValid)
    }

    @Test("a replace after the dead load: its keys are gone and verify passes")
    func replaceAfterDeadLoad() async throws {
        let (url, namespace, version) = try await Self.loaded()
        let added = (0..<50).map { "\(namespace):prices:ZZZ:2024-02-\(String(format: "%02d", $0 % 28 + 1))-\($0)" }
        try await Self.leaveDeadLoad(namespace: namespace, parent: version, added: added, overwritten: [], deleted: [])
        let replacement = [PriceRows.row("MSFT", "2024-01-02", "2.0000")]
        let result = try await RedisLoaderTests.load(replacement, into: url, strategy: .replace)
        #expect(result.metrics.recordsDeleted == 20 && result.metrics.recordsInserted == 1)
        #expect(result.notes.first?.contains("unlinked 50 keys it added") == true, "\(result.notes)")
        let server = try RedisServer.shared
        let remaining = try server.cli("--scan", "--pattern", "\(namespace):prices:*")
        #expect(remaining == "\(namespace):prices:MSFT:2024-01-02")
        #expect(try await RedisLoaderTests.verify(url).isValid)
    }

    @Test("a load that finishes leaves no mark, nor does one that fails and takes back what it wrote")
    func markLifecycle() async throws {
        let (url, namespace, version) = try await Self.loaded()
        let server = try RedisServer.shared
        let pending = "{\(namespace):prices}:_sluice:pending"
        #expect(try server.cli("EXISTS", pending) == "0")
        var rows = Self.base
        rows.insert(PriceRows.row("NEW", "2024-06-01", "1.0000"), at: 0)
        await #expect(throws: SluiceError.self) {
            _ = try await RedisLoaderTests.load(rows, into: url, strategy: .insertOnly)
        }
        #expect(try server.cli("EXISTS", pending) == "0")
        #expect(try server.cli("EXISTS", "\(namespace):prices:NEW:2024-06-01") == "0")

        // A mark whose load wrote nothing: the next load finds nothing to repair, and says so.
        try await Self.leaveDeadLoad(namespace: namespace, parent: version, added: [], overwritten: [], deleted: [])
        let next = try await RedisLoaderTests.load(Self.base, into: url)
        #expect(next.version == nil)
        #expect(
            next.notes == [
                "repaired the table after the unfinished load dead-load: unlinked 0 keys it added, kept 0 values it "
                    + "wrote, 0 keys it deleted are gone"
            ]
        )
        #expect(try server.cli("EXISTS", pending) == "0")
        #expect(try await RedisLoaderTests.verify(url).isValid)
    }

    @Test("a load that fails after a repair that kept values leaves a mark that makes the next repair read every key")
    func failureAfterRepair() async throws {
        let (url, namespace, version) = try await Self.loaded()
        try await Self.leaveDeadLoad(
            namespace: namespace,
            parent: version,
            added: [],
            overwritten: [Self.key(namespace, 4)],
            deleted: []
        )
        await #expect(throws: SluiceError.self) {
            _ = try await RedisLoaderTests.load(Self.base, into: url, strategy: .insertOnly)
        }
        let server = try RedisServer.shared
        #expect(try server.cli("GET", "{\(namespace):prices}:_sluice:pending").contains(#""touchesExisting":true"#))
        let next = try await RedisLoaderTests.load([PriceRows.row("MSFT", "2024-01-02", "2.0000")], into: url)
        #expect(next.notes.first?.contains("kept 1 values it wrote") == true, "\(next.notes)")
        #expect(try await RedisLoaderTests.verify(url).isValid)
    }
}
