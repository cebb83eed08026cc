import Sluice
import SluicePostgres
import Testing

/// PostgreSQL URLs whose password holds unencoded `?`, `#`, `/` or `@`: the user information ends at the last `@`,
/// so the password comes through whole and the query, database and host stay what they are.
@Suite("PostgreSQL URLs with unencoded characters in the password")
struct ConfigurationPasswordTests {
    @Test func theWholePasswordIsTheUsersAndTheRestOfTheURLStays() throws {
        let passwords = [
            ("s3cr3tQ?XYZ-pgunit", "s3cr3tQ?XYZ-pgunit"), ("s3cr3tH#XYZ-pgunit", "s3cr3tH#XYZ-pgunit"),
            ("s3cr3tS/XYZ-pgunit", "s3cr3tS/XYZ-pgunit"), ("s3cr3tA@XYZ-pgunit", "s3cr3tA@XYZ-pgunit"),
            ("s3cr3tP%3FX%40Y%23Z-pgunit", "s3cr3tP?X@Y#Z-pgunit"),
        ]
        for (written, meant) in passwords {
            let url = try TargetURL("postgres://relu:\(written)@db.example:6543/market?sslmode=require&pool_size=2")
            let configuration = try PostgresLoader.Configuration.parse(url, environment: [:])
            #expect(configuration.password == meant)
            #expect(configuration.username == "relu")
            #expect(configuration.host == "db.example")
            #expect(configuration.port == 6543)
            #expect(configuration.database == "market")
            #expect(configuration.sslMode == .require)
            #expect(configuration.poolSize == 2)
            #expect(!configuration.description.contains("s3cr3t"))
        }
    }

    @Test func aBadOptionAfterSuchAPasswordIsReportedWithoutIt() throws {
        let url = try TargetURL("postgres://relu:s3cr3tQ?XYZ-pgbad@db.example/market?sslmode=sometimes")
        let error = #expect(throws: SluiceError.self) { try PostgresLoader.Configuration.parse(url, environment: [:]) }
        #expect(error?.description.contains("s3cr3t") == false)
        #expect(error?.description.contains("postgres://relu:***@db.example/market") == true)
        #expect(error?.description.contains("unknown sslmode 'sometimes'") == true)
    }
}
