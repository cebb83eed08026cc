import Logging
import Sluice
import SluicePostgres
import Testing

@Suite("PostgreSQL URLs and configuration")
struct ConfigurationUnitTests {
    private func parse(_ url: String, environment: [String: String] = [:]) throws -> PostgresLoader.Configuration {
        try PostgresLoader.Configuration.parse(TargetURL(url), environment: environment)
    }

    @Test func everyPartOfAFullURL() throws {
        let configuration = try parse(
            "postgres://etl:s3cret@db.example:6543/market?sslmode=verify-full&sslrootcert=/etc/ca.pem"
                + "&search_path=staging&application_name=nightly&pool_size=8&chunk_bytes=262144&pipeline_depth=16"
                + "&read_ahead=0"
        )
        #expect(configuration.host == "db.example")
        #expect(configuration.port == 6543)
        #expect(configuration.username == "etl")
        #expect(configuration.password == "s3cret")
        #expect(configuration.database == "market")
        #expect(configuration.sslMode == .verifyFull)
        #expect(configuration.sslRootCertificate == "/etc/ca.pem")
        #expect(configuration.searchPath == "staging")
        #expect(configuration.applicationName == "nightly")
        #expect(configuration.chunkBytes == 262_144)
        #expect(configuration.pipelineDepth == 16)
        #expect(configuration.readAhead == 0)
        #expect(configuration.poolSize == 8)
    }

    @Test func defaults() throws {
        let configuration = try parse("postgresql://db")
        #expect(configuration.host == "db")
        #expect(configuration.port == 5432)
        #expect(configuration.username == "postgres")
        #expect(configuration.password == nil)
        #expect(configuration.database == "postgres")
        #expect(configuration.sslMode == .prefer)
        #expect(configuration.poolSize == 4)
        #expect(configuration.readAhead == 4)
    }

    @Test func userAndDatabaseFromTheEnvironment() throws {
        let configuration = try parse("postgres://db", environment: ["PGUSER": "loader", "PGPASSWORD": "pw"])
        #expect(configuration.username == "loader")
        #expect(configuration.database == "loader")
        #expect(configuration.password == "pw")
    }

    @Test func theURLsPasswordWinsOverTheEnvironment() throws {
        let configuration = try parse("postgres://u:fromurl@db/x", environment: ["PGPASSWORD": "fromenv"])
        #expect(configuration.password == "fromurl")
    }

    @Test func percentDecodesUserPasswordAndDatabase() throws {
        let configuration = try parse("postgres://etl%40corp:p%3Aw%2Fd%40@db:5432/market%20data")
        #expect(configuration.username == "etl@corp")
        #expect(configuration.password == "p:w/d@")
        #expect(configuration.database == "market data")
    }

    @Test func ipv6Hosts() throws {
        let configuration = try parse("postgres://u@[::1]:55432/db")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 55432)
    }

    @Test func descriptionNeverShowsThePassword() throws {
        let configuration = try parse("postgres://etl:s3cret@db/market")
        #expect(!configuration.description.contains("s3cret"))
        #expect(!"\(configuration)".contains("s3cret"))
    }

    @Test func errorsNameTheURLRedacted() throws {
        for url in [
            "postgres://etl:s3cret@db/market?sslmode=sometimes",
            "postgres://etl:s3cret@db:notaport/market",
            "postgres://etl:s3cret@db/market?pool_size=0",
            "postgres://etl:s3cret@db/market?chunk_bytes=-1",
            "postgres://etl:s3cret@db/market?pipeline_depth=lots",
            "postgres://etl:s3cret@db/market?read_ahead=-1",
            "postgres://etl:s3cret@db/market?colour=blue",
        ] {
            let error = #expect(throws: SluiceError.self) { try parse(url) }
            #expect(error?.message.contains("s3cret") == false)
            #expect(error?.message.contains("etl:***@db") == true)
        }
    }

    @Test func theFactoryRefusesUnscopedOpening() async throws {
        #expect(PostgresLoader.factory.schemes == ["postgres", "postgresql"])
        let error = await #expect(throws: SluiceError.self) {
            _ = try await PostgresLoader.factory.makeLoader(url: TargetURL("postgres://db"), logger: .init(label: "t"))
        }
        #expect(error?.code == .invalidRequest)
    }
}
