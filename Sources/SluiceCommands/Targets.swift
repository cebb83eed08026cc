import Sluice
import SluiceFiles
import SluicePostgres
import SluiceRedis
import SluiceSQLite

/// The targets the CLI can open. A new target joins by adding its factory here.
enum Targets {
    static let factories: [any LoaderFactory] = [
        SQLiteLoader.factory, PostgresLoader.factory, FileLoader.factory, RedisLoader.factory,
    ]

    /// The target used when none is given: the embedded SQLite database in the working directory.
    static let defaultURL = "sqlite:sluice.sqlite"

    /// The URL in `SLUICE_TARGET`, else in `SLUICE_DATABASE_URL` (the connection URL a deployment already sets,
    /// e.g. `postgres://etl@db:5432/market`), else the embedded default.
    static var environmentDefault: String {
        ProcessEnvironment.value("SLUICE_TARGET") ?? ProcessEnvironment.value("SLUICE_DATABASE_URL") ?? defaultURL
    }
}
