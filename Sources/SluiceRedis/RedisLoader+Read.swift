import Foundation
import RESP
import Sluice

extension RedisLoader {
    /// What a table's keys hold now, read back through its latest version's key state.
    struct Contents {
        var batches: [RecordBatch]
        /// Keys the state names that are gone (expired, evicted, deleted by someone else).
        var missingKeys: Int
        /// One line per value that is not a row of the table, at most ten.
        var problems: [String]
    }

    public func read(table: String) async throws -> RecordStream {
        guard let version = try await latestVersion(table) else {
            throw SluiceError(.notFound, "no table '\(table)' in \(target)")
        }
        let contents = try await contents(of: version, table: table)
        return RecordStream(schema: version.schema, source: target, batches: contents.batches)
    }

    public func verify(table: String) async throws -> Verification {
        guard let version = try await latestVersion(table) else {
            return Verification(
                table: table,
                versionID: nil,
                expectedChecksum: nil,
                actualChecksum: ContentChecksum.zero.hex,
                expectedRecordCount: nil,
                actualRecordCount: 0
            )
        }
        let contents = try await contents(of: version, table: table)
        let digester = RowDigester(schema: version.schema)
        var checksum = ContentChecksum.zero
        var rows = 0
        for batch in contents.batches {
            checksum.add(digester.checksum(of: batch))
            rows += batch.count
        }
        var problems = contents.problems
        if contents.missingKeys > 0 {
            problems.insert(
                "\(contents.missingKeys) keys of version \(version.id) are missing (expired, evicted or deleted)",
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

    /// Reads every key `version`'s state names, in pipelines of 2 000 keys.
    func contents(of version: DataVersion, table: String) async throws -> Contents {
        guard let layout = try CacheTableLayout.layout(of: version) else {
            throw SluiceError(.targetFailure, "table '\(table)': version \(version.id) records no layout")
        }
        let state = try await state(of: version, table: table)
        let decoder = CacheValueDecoder(
            layout: layout,
            schema: version.schema,
            namespace: options.namespace,
            table: table
        )
        var contents = Contents(batches: [], missingKeys: 0, problems: [])
        let keys = state.liveKeys.sorted()
        for start in stride(from: 0, to: keys.count, by: 2_000) {
            var pending = keys[start..<min(start + 2_000, keys.count)].map { ($0, "-") }
            var builder = RecordBatchBuilder(schema: version.schema, source: target, capacity: pending.count)
            var json: [UInt8] = []
            while !pending.isEmpty {
                let replies = try await server.replies(pending.map { decoder.command(forKey: $0.0, streamStart: $0.1) })
                var more: [(String, String)] = []
                for ((key, start), reply) in zip(pending, replies) {
                    if case .error(let line) = reply {
                        throw SluiceError(.targetFailure, "table '\(table)': key \(key): \(line)")
                    }
                    // A stream's next page after a full one may be empty (the stream held a multiple of the page).
                    if layout.isStream, start != "-", reply.isNull || (reply.elements ?? []).isEmpty {
                        continue
                    }
                    if reply.isNull || (layout.format == .hash && (reply.elements ?? []).isEmpty) {
                        contents.missingKeys += 1
                        continue
                    }
                    if layout.isStream, (reply.elements ?? []).isEmpty {
                        continue
                    }
                    if let problem = decoder.append(reply, key: key, to: &builder, json: &json),
                        contents.problems.count < 10
                    {
                        contents.problems.append(problem)
                    }
                    // A stream longer than one page: read on after its last entry.
                    if layout.isStream, let entries = reply.elements, entries.count == 10_000,
                        let last = entries.last?.elements?.first?.string
                    {
                        more.append((key, "(" + last))
                    }
                }
                pending = more
            }
            if layout.format == .json && !layout.isStream {
                let batch = try decoder.decodeJSON(json)
                for reject in batch.rejects.prefix(max(0, 10 - contents.problems.count)) {
                    contents.problems.append(reject.description)
                }
                contents.batches.append(batch)
            } else {
                contents.batches.append(builder.build())
            }
        }
        return contents
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
