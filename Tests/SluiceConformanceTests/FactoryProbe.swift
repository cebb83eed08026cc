import Sluice
import SluiceSQLite

/// The SQLite factory, as a caller names it.
enum SQLiteLoaderFactoryProbe {
    static let factory: any LoaderFactory = SQLiteLoader.factory
}
