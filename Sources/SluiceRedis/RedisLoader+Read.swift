import Foundation
import RESP
import Sluice

extension RedisLoader {
    /// The longest life of a read's lock (``read(table:)``, ``verify(table:)``): 60 seconds, or the target's
    /// `lock_ttl=` when shorter. A read renews it as it goes; a consumer that stops pulling rows leaves it to
    /// expire that soon.
    var readLockLifetime: Duration { min(options.lockLifetime, .seconds(60)) }

    /// Reads the rows of `table`'s latest version, page by page (2 000 keys at a time), under the table's lock.
    ///
    /// The lock is taken before this returns (waiting, as a load does, for a load that holds it, and reporting
    /// whom it waits for) and kept until the stream ends, so the rows are one version's and a load of the table
    /// waits for the read. At its end the stream compares the rows' digest sum with the version's checksum, and
    /// fails instead of ending when they differ (keys expired, evicted or written by hand): a load or export that
    /// consumes it commits nothing then.
    public func read(table: String) async throws -> RecordStream {
        guard try await latestVersion(table) != nil else {
            throw SluiceError(.notFound, "no table '\(table)' in \(target)")
        }
        let lock = try await lockTable(table, for: "read", lifetime: readLockLifetime)
        do {
            guard let version = try await latestVersion(table) else {
                throw SluiceError(.notFound, "no table '\(table)' in \(target)")
            }
            let pages = try await pages(of: version, table: table)
            return RecordStream(schema: version.schema, source: target, CacheTableBatches(pages: pages, lock: lock))
        } catch {
            await lock.release()
            throw error
        }
    }

    /// Reads every key of `table`'s latest version under the table's lock, page by page, and compares the rows'
    /// checksum and count with the version's.
    public func verify(table: String) async throws -> Verification {
        guard try await latestVersion(table) != nil else {
            return Verification(
                table: table,
                versionID: nil,
                expectedChecksum: nil,
                actualChecksum: ContentChecksum.zero.hex,
                expectedRecordCount: nil,
                actualRecordCount: 0
            )
        }
        let lock = try await lockTable(table, for: "verify", lifetime: readLockLifetime)
        do {
            let verification = try await lock.holding { try await verifyLocked(table: table) }
            await lock.release()
            return verification
        } catch {
            await lock.release()
            throw error
        }
    }

    private func verifyLocked(table: String) async throws -> Verification {
        guard let version = try await latestVersion(table) else {
            throw SluiceError(.notFound, "no table '\(table)' in \(target)")
        }
        let pages = try await pages(of: version, table: table)
        let digester = RowDigester(schema: version.schema)
        var checksum = ContentChecksum.zero
        var rows = 0
        var missingKeys = 0
        var problems: [String] = []
        for index in 0..<pages.count {
            let page = try await pages.page(index)
            checksum.add(digester.checksum(of: page.batch))
            rows += page.batch.count
            missingKeys += page.missingKeys
            problems += page.problems.prefix(max(0, 10 - problems.count))
        }
        if missingKeys > 0 {
            problems.insert(
                "\(missingKeys) keys of version \(version.id) are missing (expired, evicted or deleted)",
                at: 0
            )
        }
        return Verification(
            table: table,
            versionID: version.id,
            expectedChecksum: version.checksum,
            actualChecksum: checksum.hex,
            expectedRecordCount: version.recordCount,
            actualRecordCount: rows,
            problems: problems
        )
    }

    public func statistics(table: String?) async throws -> TargetStatistics {
        var names: [String]
        if let table {
            names = [table]
        } else {
            let reply = try await server.send(
                RESPCommand("SMEMBERS", .string(CacheTableKeys.tables(namespace: options.namespace)))
            )
            names = (reply.elements ?? []).compactMap(\.string).sorted()
        }
        var tables: [TableStatistics] = []
        for name in names {
            let versions = try await versions(table: name)
            guard let latest = versions.last else { continue }
            let layout = try CacheTableLayout.layout(of: latest)
            var details = [
                "key template": layout?.template.text ?? "-",
                "value format": layout.map { $0.isStream ? "stream" : $0.format.description } ?? "-",
            ]
            details["key state chunks"] = latest.metadata[CacheTableLayout.chunksKey]
            tables.append(
                TableStatistics(
                    name: name,
                    rowCount: latest.recordCount,
                    bytes: nil,
                    versions: versions.map(VersionSummary.init),
                    details: details
                )
            )
        }
        var details = ["namespace": options.namespace]
        let cache = try await cacheStatistics()
        for (name, value) in cache.details { details["cache " + name.replacingOccurrences(of: "_", with: " ")] = value }
        for (number, advice) in cache.recommendations.enumerated() { details["advice \(number + 1)"] = advice }
        return TargetStatistics(target: target, tables: tables, details: details)
    }

    /// The server's (or cluster's) cache figures: hits, memory, keys without TTL, a sample of 2 000 keys.
    func cacheStatistics() async throws -> CacheStatistics {
        let inspector = CacheInspector(sampleSize: 2_000)
        switch server {
        case .single(let client):
            let database = options.connection.database
            return try await client.withConnection { try await inspector.inspect($0, database: database) }
        case .cluster:
            return try await inspector.inspect(
                cluster: RESPConnection.Configuration(url: options.connection),
                logger: logger
            )
        }
    }
}
