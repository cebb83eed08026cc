import Logging
import PostgresNIO
import Sluice

extension PostgresLoader {
    public func schema(of table: String) async throws -> Schema? {
        try PostgresIdentifier.check(table: table)
        let logger = self.logger
        return try await withConnection { connection in
            try await PostgresCatalog.schema(connection, of: table, logger: logger)
        }
    }

    /// Reads every row of `table` as batches of its schema, in one `REPEATABLE READ` snapshot.
    ///
    /// The rows are read on a leased connection and handed out batch by batch once read.
    public func read(table: String) async throws -> RecordStream {
        try PostgresIdentifier.check(table: table)
        let logger = self.logger
        let (schema, batches) = try await withConnection { connection -> (Schema, [RecordBatch]) in
            let schema = try await Self.requireSchema(connection, table, logger: logger)
            let batches = try await PostgresRowReader.reduceBatches(
                connection,
                sql: "SELECT \(PostgresSyntax.readList(schema.columns)) FROM \(PostgresSyntax.quote(table))",
                schema: schema,
                table: table,
                into: [RecordBatch](),
                logger: logger
            ) { batches, batch in batches.append(batch) }
            return (schema, batches)
        }
        return RecordStream(schema: schema, source: "\(target)#\(table)", batches: batches)
    }

    public func versions(table: String) async throws -> [DataVersion] {
        try PostgresIdentifier.check(table: table)
        let logger = self.logger
        return try await withConnection { connection in
            try await PostgresCatalog.versions(connection, of: table, logger: logger)
        }
    }

    /// Recomputes `table`'s checksum by streaming and digesting every row, and compares checksum and row count
    /// with the latest version. Table and versions are read in one `REPEATABLE READ` snapshot.
    public func verify(table: String) async throws -> Verification {
        try PostgresIdentifier.check(table: table)
        let logger = self.logger
        return try await withConnection { connection in
            try await connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            do {
                let schema = try await Self.requireSchema(connection, table, logger: logger)
                let latest = try await PostgresCatalog.latestVersion(connection, of: table, logger: logger)
                let scan = try await PostgresRowReader.tableChecksum(
                    connection,
                    table: table,
                    schema: schema,
                    logger: logger
                )
                try await connection.execute("COMMIT", logger: logger)
                return Verification(
                    table: table,
                    versionID: latest?.id,
                    expectedChecksum: latest?.checksum,
                    actualChecksum: scan.checksum.hex,
                    expectedRecordCount: latest?.recordCount,
                    actualRecordCount: scan.rowCount
                )
            } catch {
                if !connection.isClosed { try? await connection.execute("ROLLBACK", logger: logger) }
                throw error
            }
        }
    }

    static func requireSchema(_ connection: PostgresConnection, _ table: String, logger: Logger) async throws -> Schema
    {
        guard let schema = try await PostgresCatalog.schema(connection, of: table, logger: logger) else {
            throw SluiceError(.notFound, "table '\(table)' does not exist")
        }
        return schema
    }
}
