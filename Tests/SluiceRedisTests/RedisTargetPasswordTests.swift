import RESP
import Sluice
import Testing

@testable import SluiceRedis

/// Sluice's own options in a Redis URL whose password holds what a URL parser would take for the query, a fragment
/// or a path: the user information ends at the last `@`, so both the password and the options arrive whole.
@Suite("Redis target URLs: options beside odd passwords")
struct RedisTargetPasswordTests {
    /// Looped over in the test, not passed as arguments: Swift Testing prints a test's arguments, and no test
    /// password may reach the run's output (scripts/check-log-secrets.sh).
    static let passwords = ["s3cr3tQ?XYZ", "s3cr3tH#frag", "s3cr3tS/lash", "s3cr3tA@t", "s3cr3tM?#/@:x"]

    @Test("the password and the options both arrive whole")
    func oddPasswords() throws {
        for (index, password) in Self.passwords.enumerated() {
            let target = try RedisTarget(
                "redis://relu:\(password)@127.0.0.1:6390/2?namespace=md&ttl=300&lock_timeout=5s&name=worker"
            )
            #expect(target.connection.password == password, "password \(index)")
            #expect(target.connection.username == "relu")
            #expect(target.connection.host == "127.0.0.1" && target.connection.port == 6390)
            #expect(target.connection.database == 2 && target.connection.clientName == "worker")
            #expect(target.namespace == "md" && target.ttl.loadSeconds == 300 && target.lockTimeout == .seconds(5))
            #expect(!target.redacted.contains(password), "password \(index)")
        }
    }

    @Test("a cluster URL with several hosts keeps its password and takes the first host as the seed")
    func clusterSeed() throws {
        let target = try RedisTarget("redis://:s3cr3tC?l@127.0.0.1:7000,127.0.0.1:7001?namespace=c")
        #expect(target.isCluster && target.connection.port == 7000)
        #expect(target.connection.password == "s3cr3tC?l" && target.namespace == "c")
    }
}
