import Logging
import NIOCore
import NIOPosix
import RESP
import Sluice

/// What the next load of a table does first when a load did not finish (``CacheLoadMark``): it brings the table
/// back to its last version's key state, so that whatever it loads next lands on known ground.
///
/// - Keys the dead load added, which no version records, are found with `SCAN` (on every primary of a cluster),
///   matched by the table's key prefix and template, and unlinked.
/// - If the dead load had begun writing keys that existed (its mark says so), every key of the state is read back
///   and digested, a page at a time. One that is gone is removed from the state; one whose row is not the recorded
///   one holds a value the dead load wrote: it is kept, and its digest recorded, so the state says what the table
///   holds. The load then classifies its input against that state: a key it names is written again if its row
///   differs.
///
/// The report goes into the version the load records (metadata `repaired`), its summary and a log line.
struct CacheTableRepair: Sendable {
    /// What a repair did.
    struct Report: Sendable, Equatable, CustomStringConvertible {
        /// The dead load's id.
        var load: String
        /// Keys it added that no version records, now unlinked.
        var unlinked = 0
        /// Keys that existed whose values it wrote: kept, and recorded.
        var kept = 0
        /// Keys that existed and are gone (it deleted them, or they expired).
        var missing = 0

        /// Whether the table's state changed: the content is no longer the last version's.
        var changesState: Bool { kept > 0 || missing > 0 }

        var description: String {
            "after the unfinished load \(load): unlinked \(unlinked) keys it added, kept \(kept) values it wrote, "
                + "\(missing) keys it deleted are gone"
        }
    }

    let server: CacheServer
    let target: RedisTarget
    let table: String
    let layout: CacheTableLayout
    /// The schema of the table's last version, whose rows the state's digests are of.
    let schema: Schema
    let logger: Logger

    /// Repairs the table after `mark`'s load; returns the state that says what the table holds, and the report.
    func run(_ mark: CacheLoadMark, state: CacheTableState) async throws -> (CacheTableState, Report) {
        var report = Report(load: mark.load)
        var state = state
        report.unlinked = try await unlinkLeftovers(state: state)
        if mark.touchesExisting { try await recheck(&state, &report) }
        return (state, report)
    }

    /// Reads every key of `state` back, a page at a time: a key that is gone leaves the state, a key whose row is
    /// not the recorded one keeps what it holds, its digest recorded.
    private func recheck(_ state: inout CacheTableState, _ report: inout Report) async throws {
        let decoder = CacheValueDecoder(layout: layout, schema: schema, namespace: target.namespace, table: table)
        let digester = RowDigester(schema: schema)
        var buffer: [UInt8] = []
        let live = (0..<state.count).filter(state.isLive)
        for start in stride(from: 0, to: live.count, by: CacheTablePages.pageSize) {
            let page = live[start..<min(start + CacheTablePages.pageSize, live.count)]
            let replies = try await server.replies(page.map { decoder.command(forKey: state.key(at: $0)) })
            var builder = RecordBatchBuilder(schema: schema, source: target.redacted, capacity: page.count)
            var json: [UInt8] = []
            var present: [Int] = []
            for (index, reply) in zip(page, replies) {
                if reply.isNull || (layout.format == .hash && (reply.elements ?? []).isEmpty) {
                    state.remove(at: index)
                    report.missing += 1
                    continue
                }
                if let problem = decoder.append(reply, key: state.key(at: index), to: &builder, json: &json) {
                    throw SluiceError(
                        .targetFailure,
                        "table '\(table)': repairing after an unfinished load: \(problem)"
                    )
                }
                present.append(index)
            }
            let batch = layout.format == .json ? try decoder.decodeJSON(json) : builder.build()
            guard batch.count == present.count, batch.rejects.isEmpty else {
                let reason = batch.rejects.first.map(\.description) ?? "a value is not one row"
                throw SluiceError(.targetFailure, "table '\(table)': repairing after an unfinished load: \(reason)")
            }
            for (row, index) in present.enumerated() {
                let digest = digester.digest(row: row, of: batch, buffer: &buffer)
                guard digest != state.digests[index] else { continue }
                state.setDigest(digest, at: index)
                report.kept += 1
            }
        }
    }

    /// Unlinks the keys of the table's shape that `state` does not hold; returns how many.
    private func unlinkLeftovers(state: CacheTableState) async throws -> Int {
        let claim = CacheKeyPrefixes.claim(of: layout, namespace: target.namespace, table: table)
        let prefix = KeyPattern.escaped(String(decoding: claim.bytes, as: UTF8.self))
        let scan = CacheKeyScan(match: claim.isExact ? prefix : prefix + "*", count: 1000)
        var leftovers: [[UInt8]] = []
        try await forEachKey(scan) { key in
            guard state.index(of: key) == nil, isTableKey(key) else { return }
            leftovers.append(key)
        }
        let unlinks = leftovers.map { CacheCommand(key: $0, operation: .unlink) }
        for start in stride(from: 0, to: unlinks.count, by: CacheSender.chunkSize) {
            let chunk = Array(unlinks[start..<min(start + CacheSender.chunkSize, unlinks.count)])
            try RedisLoader.expectSuccess(try await server.pipeline(chunk), table: table)
        }
        return leftovers.count
    }

    /// Whether `key` is one the table's template makes (and not, say, one of Sluice's own keys).
    private func isTableKey(_ key: [UInt8]) -> Bool {
        layout.template.parts(
            of: key,
            namespace: target.namespace,
            table: table,
            keyColumns: schema.keyColumns,
            escaped: layout.escapesKeys
        ) != nil
    }

    /// Runs `body` for every key `scan` finds, on the server or on every primary of a cluster.
    private func forEachKey(_ scan: CacheKeyScan, _ body: ([UInt8]) -> Void) async throws {
        switch server {
        case .single(let client):
            var cursor = "0"
            repeat {
                let page = try CacheKeyScan.page(
                    try await client.send(scan.command(cursor: cursor)),
                    address: target.redacted
                )
                for key in page.keys { body(Array(key.readableBytesView)) }
                cursor = page.cursor
            } while cursor != "0"
        case .cluster:
            let seed = RESPConnection.Configuration(url: target.connection)
            let pages = try await CacheCluster.withPrimaries(
                seed,
                eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                logger: logger
            ) { connections in
                var keys: [[UInt8]] = []
                for connection in connections {
                    var cursor = "0"
                    repeat {
                        let reply = try await connection.sendUnchecked([scan.command(cursor: cursor)])
                        let page = try CacheKeyScan.page(reply[0], address: connection.address)
                        keys += page.keys.map { Array($0.readableBytesView) }
                        cursor = page.cursor
                    } while cursor != "0"
                }
                return keys
            }
            for key in pages { body(key) }
        }
    }
}
