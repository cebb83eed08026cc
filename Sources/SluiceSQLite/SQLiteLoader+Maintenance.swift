import Foundation
import GRDB
import Sluice

extension SQLiteLoader {
    /// Runs `VACUUM` (the whole database: SQLite cannot vacuum one table) and `ANALYZE` (of `table`, or all), and
    /// reports the database's size before and after (pages in use × page size).
    public func optimize(table: String?) async throws -> OptimizationReport {
        let started = ContinuousClock.now
        do {
            return try await database.writeWithoutTransaction { db in
                if let table { _ = try Self.requireSchema(db, table) }
                let before = try Self.databaseBytes(db)
                try db.execute(sql: "VACUUM")
                let analyze = table.map { "ANALYZE main.\(SQLiteSyntax.quote($0))" } ?? "ANALYZE"
                try db.execute(sql: analyze)
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                let after = try Self.databaseBytes(db)
                return OptimizationReport(
                    bytesBefore: before,
                    bytesAfter: after,
                    operations: ["VACUUM", analyze],
                    durationSeconds: started.secondsElapsed
                )
            }
        } catch {
            throw mapped(error)
        }
    }

    /// Rows, bytes (from the `dbstat` virtual table when SQLite has it) and versions per table, and the
    /// database's file size, page size, page count, free pages and journal mode.
    public func statistics(table: String?) async throws -> TargetStatistics {
        let path = self.path
        let target = self.target
        return try await reading { db in
            let names: [String]
            if let table {
                _ = try Self.requireSchema(db, table)
                names = [table]
            } else {
                names = try SQLiteCatalog.tables(db)
            }
            let hasDBStat = Self.hasDBStat(db)
            var tables: [TableStatistics] = []
            for name in names {
                let rows = try Int.fetchOne(db, sql: "SELECT count(*) FROM main.\(SQLiteSyntax.quote(name))") ?? 0
                let bytes = hasDBStat ? try Self.tableBytes(db, name) : nil
                let versions = try SQLiteCatalog.versions(db, of: name).map(VersionSummary.init)
                var details: [String: String] = [:]
                if let latest = versions.last { details["latest_version"] = latest.id }
                details["indexes"] = String(
                    try Int.fetchOne(
                        db,
                        sql: "SELECT count(*) FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ?",
                        arguments: [name]
                    ) ?? 0
                )
                tables.append(
                    TableStatistics(
                        name: name,
                        rowCount: rows,
                        bytes: bytes,
                        versions: versions,
                        details: details
                    )
                )
            }
            return TargetStatistics(target: target, tables: tables, details: try Self.details(db, path: path))
        }
    }

    private static func details(_ db: Database, path: String) throws -> [String: String] {
        let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0
        let pageCount = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
        var details = [
            "page_size": String(pageSize),
            "page_count": String(pageCount),
            "freelist_count": String(try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0),
            "journal_mode": try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
            "sqlite_version": try String.fetchOne(db, sql: "SELECT sqlite_version()") ?? "",
            "database_bytes": String(pageSize * pageCount),
        ]
        if path != ":memory:" {
            let files = FileManager.default
            if let size = (try? files.attributesOfItem(atPath: path))?[.size] as? NSNumber {
                details["file_size"] = size.stringValue
            }
            if let size = (try? files.attributesOfItem(atPath: path + "-wal"))?[.size] as? NSNumber {
                details["wal_size"] = size.stringValue
            }
        }
        return details
    }

    private static func databaseBytes(_ db: Database) throws -> Int64 {
        let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0
        let pageCount = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
        return pageSize * pageCount
    }

    private static func hasDBStat(_ db: Database) -> Bool {
        (try? Int.fetchOne(db, sql: "SELECT count(*) FROM dbstat WHERE name = 'sqlite_schema'")) != nil
    }

    /// The bytes of `table`'s pages and its indexes' pages.
    private static func tableBytes(_ db: Database, _ table: String) throws -> Int64? {
        try Int64.fetchOne(
            db,
            sql: """
                SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = ?
                OR name IN (SELECT name FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ?)
                """,
            arguments: [table, table]
        )
    }
}
