import Logging
import PostgresNIO

/// Settings a load raises for its own transaction only (`SET LOCAL`), so that the server's defaults — sized for
/// many small queries — do not slow one big load: hash joins and sorts over a million staged rows spill to disk at
/// the default `work_mem` of 4 MB, and building a primary key after the data sorts in `maintenance_work_mem`.
enum PostgresTuning {
    /// Memory for each hash table or sort of the staged-rows joins.
    static let workMemory = "256MB"
    /// Memory for building an index after the data.
    static let maintenanceWorkMemory = "512MB"

    /// Raises `work_mem` until the transaction ends.
    static func forJoins(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.execute("SET LOCAL work_mem = '\(workMemory)'", logger: logger)
    }

    /// Raises `maintenance_work_mem` until the transaction ends.
    static func forIndexBuilds(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.execute("SET LOCAL maintenance_work_mem = '\(maintenanceWorkMemory)'", logger: logger)
    }
}
