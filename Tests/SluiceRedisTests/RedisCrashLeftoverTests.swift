import Foundation
import Sluice
import SluiceTesting
import Testing

@testable import SluiceRedis

/// What the fault suite (SluiceFaultTests) found, each pinned at the library level: a stream of exactly one read
/// page, a killed append's stream entries, and the lock a killed loader leaves.
@Suite("Redis loads after a killed one")
struct RedisCrashLeftoverTests {
    /// `count` rows without a key (a stream table), dates from 1992 on, all of symbol `symbol`.
    static func rows(_ count: Int, symbol: String = "AAPL") -> [[Value]] {
        (0..<count).map { PriceRows.row(symbol, CivilDate(daysSinceEpoch: Int32(8_000 + $0)).description, "1.0000") }
    }

    @Test("a stream of exactly 10 000 entries (one full read page) verifies: the empty next page is not a missing key")
    func streamOfOnePage() async throws {
        let (url, _) = try RedisLoaderTests.url()
        _ = try await RedisLoaderTests.load(Self.rows(10_000), into: url, strategy: .append, key: [])
        let verification = try await RedisLoaderTests.verify(url)
        #expect(verification.isValid, "\(verification)")
    }

    @Test("entries a killed append left in the stream are dropped by the rerun: the rows land exactly once")
    func killedAppendLeftovers() async throws {
        let (url, namespace) = try RedisLoaderTests.url()
        let server = try RedisServer.shared
        _ = try await RedisLoaderTests.load(Self.rows(3), into: url, strategy: .append, key: [])
        // What a load killed before its version leaves: entries after the first load's, in its stream and in a
        // stream no version knows.
        let stream = "\(namespace):prices"
        try server.cli("XADD", stream, "*", "symbol", "AAPL")
        try server.cli("XADD", "\(namespace):other", "*", "symbol", "MSFT")
        let next = Self.rows(5, symbol: "MSFT")
        let result = try await RedisLoaderTests.load(next, into: url, strategy: .append, key: [])
        #expect(result.metrics.recordsInserted == 5)
        #expect(try server.cli("XLEN", stream) == "8")
        let verification = try await RedisLoaderTests.verify(url)
        #expect(verification.isValid && verification.actualRecordCount == 8, "\(verification)")
    }

    @Test("a lock whose holder died expires after its lifetime, and the next load takes the table; lock_ttl= parses")
    func lockOfADeadLoader() async throws {
        let (url, namespace) = try RedisLoaderTests.url()
        let server = try RedisServer.shared
        // A dead loader's lock: set, never renewed.
        try server.cli("SET", "{\(namespace):prices}:_sluice:lock", "dead-loader", "PX", "1000")
        let result = try await RedisLoaderTests.load(RedisLoaderTests.rows, into: url)
        #expect(result.metrics.recordsInserted == 3)
        #expect(try RedisTarget(url + "&lock_ttl=30s").lockLifetime == .seconds(30))
        #expect(try RedisTarget(url).lockLifetime == .seconds(600))
    }
}
