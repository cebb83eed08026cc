import Sluice
import SluiceSQLite
import SluiceTesting

/// The SQLite factory, as a caller names it.
enum SQLiteLoaderFactoryProbe {
    static let factory: any LoaderFactory = SQLiteLoader.factory
}
