import Foundation

extension PostgresServer {
    /// The server tests share: started on first use, once per test process, and stopped and deleted when the
    /// process exits. `SLUICE_TEST_POSTGRES_URL=postgres://user:password@host:port/db` uses that server instead.
    ///
    /// Throws (every time it is asked) when the server could not be started, with the server's log.
    public static var shared: PostgresServer {
        get throws { try sharedOutcome.get() }
    }

    private static let sharedOutcome: Result<PostgresServer, PostgresServerError> = {
        do {
            if let given = ProcessInfo.processInfo.environment["SLUICE_TEST_POSTGRES_URL"], !given.isEmpty {
                return .success(try existing(url: given))
            }
            return .success(try start())
        } catch let error as PostgresServerError {
            return .failure(error)
        } catch {
            return .failure(PostgresServerError("cannot start the test PostgreSQL server: \(error)"))
        }
    }()

    /// An existing server, from `postgres://user[:password]@host[:port]/database[?sslmode=…]`.
    static func existing(url: String) throws -> PostgresServer {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme),
            let host = components.host, !host.isEmpty
        else {
            throw PostgresServerError("SLUICE_TEST_POSTGRES_URL is not a postgres://user@host:port/db URL")
        }
        let database = String(components.path.drop { $0 == "/" })
        let psql = (try? PostgresBinaries.locate().appendingPathComponent("psql").path) ?? "/usr/bin/psql"
        return PostgresServer(
            host: host,
            port: components.port ?? 5432,
            user: components.user ?? "postgres",
            password: components.password,
            maintenanceDatabase: database.isEmpty ? "postgres" : database,
            query: components.percentEncodedQuery ?? "sslmode=disable",
            cluster: nil,
            psqlPath: psql
        )
    }
}
