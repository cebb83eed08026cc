import RESP
import Sluice

/// A version's keys read back page by page: each page is one pipeline of ``pageSize`` keys (`GET`, `HGETALL` or
/// `XRANGE`, per node in a cluster) decoded into one batch, so a read holds one page of rows at a time.
struct CacheTablePages: Sendable {
    /// What one page held.
    struct Page {
        /// The rows that could be read.
        var batch: RecordBatch
        /// Keys the version names that are gone (expired, evicted, deleted by someone else).
        var missingKeys: Int
        /// One line per value that is not a row of the table (at most ten per page).
        var problems: [String]
    }

    /// Keys per pipeline: 2 000.
    static let pageSize = 2_000

    let server: CacheServer
    let version: DataVersion
    let table: String
    let source: String
    let layout: CacheTableLayout
    let decoder: CacheValueDecoder
    /// The keys the version's state names, in byte order.
    let keys: [String]

    /// How many pages there are.
    var count: Int { (keys.count + Self.pageSize - 1) / Self.pageSize }

    /// Reads page `index` (keys `index * pageSize ..< (index + 1) * pageSize`).
    func page(_ index: Int) async throws -> Page {
        let start = index * Self.pageSize
        var pending = keys[start..<min(start + Self.pageSize, keys.count)].map { ($0, "-") }
        var builder = RecordBatchBuilder(schema: version.schema, source: source, capacity: pending.count)
        var json: [UInt8] = []
        var missingKeys = 0
        var problems: [String] = []
        while !pending.isEmpty {
            let replies = try await server.replies(pending.map { decoder.command(forKey: $0.0, streamStart: $0.1) })
            var more: [(String, String)] = []
            for ((key, start), reply) in zip(pending, replies) {
                if case .error(let line) = reply {
                    throw SluiceError(.targetFailure, "table '\(table)': key \(key): \(line)")
                }
                let entries = reply.elements ?? []
                // A stream's next page after a full one may be empty (the stream held a multiple of the page).
                if layout.isStream, start != "-", reply.isNull || entries.isEmpty { continue }
                if reply.isNull || (layout.format == .hash && entries.isEmpty) {
                    missingKeys += 1
                    continue
                }
                if layout.isStream, entries.isEmpty { continue }
                if let problem = decoder.append(reply, key: key, to: &builder, json: &json), problems.count < 10 {
                    problems.append(problem)
                }
                // A stream longer than one page: read on after its last entry.
                if layout.isStream, entries.count == 10_000, let last = entries.last?.elements?.first?.string {
                    more.append((key, "(" + last))
                }
            }
            pending = more
        }
        guard layout.format == .json && !layout.isStream else {
            return Page(batch: builder.build(), missingKeys: missingKeys, problems: problems)
        }
        let batch = try decoder.decodeJSON(json)
        problems += batch.rejects.prefix(max(0, 10 - problems.count)).map(\.description)
        return Page(batch: batch, missingKeys: missingKeys, problems: problems)
    }
}

extension RedisLoader {
    /// The pages of `version`'s keys: its layout, its key state's keys (about 62 bytes a key in memory), no rows yet.
    func pages(of version: DataVersion, table: String) async throws -> CacheTablePages {
        guard let layout = try CacheTableLayout.layout(of: version) else {
            throw SluiceError(.targetFailure, "table '\(table)': version \(version.id) records no layout")
        }
        let state = try await state(of: version, table: table)
        return CacheTablePages(
            server: server,
            version: version,
            table: table,
            source: target,
            layout: layout,
            decoder: CacheValueDecoder(
                layout: layout,
                schema: version.schema,
                namespace: options.namespace,
                table: table
            ),
            keys: state.liveKeys.sorted()
        )
    }
}
