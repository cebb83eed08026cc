import Foundation
import GRDB
import Sluice

extension SQLiteLoader {
    public func schema(of table: String) async throws -> Schema? {
        try await reading { db in try SQLiteCatalog.schema(db, of: table) }
    }

    /// Reads every row of `table` (in storage order) as batches of its schema.
    ///
    /// The rows are read in one snapshot, then handed out batch by batch.
    public func read(table: String) async throws -> RecordStream {
        let batches = try await reading { db -> (Schema, [RecordBatch]) in
            let schema = try Self.requireSchema(db, table)
            var batches: [RecordBatch] = []
            let sql = "SELECT \(SQLiteSyntax.list(schema.columnNames)) FROM main.\(SQLiteSyntax.quote(table))"
            try SQLiteRowReader.forEachBatch(db, sql: sql, schema: schema, table: table) { batches.append($0) }
            return (schema, batches)
        }
        return RecordStream(schema: batches.0, source: "\(target)#\(table)", batches: batches.1)
    }

    public func versions(table: String) async throws -> [DataVersion] {
        try await reading { db in try SQLiteCatalog.versions(db, of: table) }
    }

    /// Recomputes `table`'s checksum by reading and digesting every row, and compares checksum and row count
    /// with the latest version.
    public func verify(table: String) async throws -> Verification {
        try await reading { db in
            let schema = try Self.requireSchema(db, table)
            let latest = try SQLiteCatalog.latestVersion(db, of: table)
            let scan = try TableScan.checksum(db, table: table, schema: schema)
            return Verification(
                table: table,
                versionID: latest?.id,
                expectedChecksum: latest?.checksum,
                actualChecksum: scan.checksum.hex,
                expectedRecordCount: latest?.recordCount,
                actualRecordCount: scan.rowCount
            )
        }
    }

    static func requireSchema(_ db: Database, _ table: String) throws -> Schema {
        guard let schema = try SQLiteCatalog.schema(db, of: table) else {
            throw SluiceError(.notFound, "table '\(table)' does not exist")
        }
        return schema
    }
}
