import Foundation
import Sluice

/// One load into a cache table without a key: every row an entry (`XADD`, a field per column) of the stream its
/// key template names (`{namespace}:{table}` by default: one stream per table).
///
/// Entries get explicit ids `<ms>-<n>` (`ms` later than any earlier load's, `n` the row's number), so a retried
/// pipeline adds nothing twice. The input is read completely before anything is written; `replace` adds the new
/// entries, then trims each stream to them (`XTRIM … MINID`) and unlinks streams the input no longer names.
struct CacheStreamWriter {
    let context: CacheLoadContext
    let sender: CacheSender
    var retries = 0

    init(context: CacheLoadContext) {
        self.context = context
        sender = CacheSender(server: context.server, retry: context.request.retry, table: context.table)
    }

    mutating func run(_ input: RecordStream) async throws -> (TableChange, CacheTableState, PreparedInputSummary) {
        var preparer = BatchPreparer(schema: context.plan.preparerSchema, request: context.request)
        defer { preparer.finish() }
        var rows: [(key: [UInt8], fields: [(name: [UInt8], value: [UInt8])], digest: ContentChecksum)] = []
        var reading = ContinuousClock.now
        for try await batch in input {
            try await context.renewLockIfDue(&reading)
            let prepared = try preparer.prepare(batch, of: input)
            for row in 0..<prepared.batch.count {
                var key: [UInt8] = []
                context.renderer.append(row: row, of: prepared.batch, to: &key)
                let fields = context.encoder.fields(row: row, of: prepared.batch)
                let size = fields.reduce(0) { $0 + $1.name.count + $1.value.count }
                if size > context.target.maximumValueBytes {
                    let origin = prepared.batch.origin(of: row)
                    throw SluiceError(
                        .invalidRequest,
                        "\(origin.source):\(origin.line): stream \(String(decoding: key, as: UTF8.self)): the entry "
                            + "has \(size) bytes, over the maximum of \(context.target.maximumValueBytes) (max_value_bytes)"
                    )
                }
                rows.append((key, fields, prepared.digests[row]))
            }
        }
        try preparer.checkInputEnded()
        let summary = PreparedInputSummary(metrics: preparer.metrics, inputChecksum: preparer.inputChecksum)
        let strategy = context.request.strategy
        var change = TableChange()
        if strategy == .append, !rows.isEmpty, try await context.isRerun(summary.inputChecksum) {
            change.isRerun = true
            return (change, context.state, summary)
        }
        if strategy == .replace, summary.inputChecksum == context.state.checksum,
            rows.count == context.state.rowCount
        {
            change.skipped = rows.count
            return (change, context.state, summary)
        }
        let milliseconds = streamTime()
        var state = strategy == .replace ? CacheTableState() : context.state
        var commands = strategy == .replace ? [] : leftoverDrops(rows.map(\.key), before: milliseconds)
        commands.reserveCapacity(commands.count + rows.count)
        for (number, row) in rows.enumerated() {
            var digest = row.digest
            var count = 1
            if let index = state.index(of: row.key) {
                digest.add(state.digests[index])
                count += Int(state.rows[index])
            }
            state.set(row.key, digest: digest, rows: count)
            commands.append(
                CacheCommand(
                    key: row.key,
                    operation: .streamAdd(id: "\(milliseconds)-\(number + 1)", fields: row.fields)
                )
            )
        }
        change.inserted = rows.count
        if strategy == .replace {
            change.deleted = context.state.rowCount
            change.absolute = summary.inputChecksum
            for index in 0..<context.state.count where context.state.isLive(index) {
                let key = context.state.keyBytes(at: index)
                let operation: CacheCommand.Operation =
                    state.index(of: key) == nil ? .unlink : .streamTrim(minimumID: "\(milliseconds)-0")
                commands.append(CacheCommand(key: key, operation: operation))
            }
        } else {
            change.delta = summary.inputChecksum
        }
        var renewed = ContinuousClock.now
        retries += try await sender.sendAll(commands) { try await context.renewLockIfDue(&renewed) }.retries
        change.metadata[CacheTableLayout.streamTimeKey] = String(milliseconds)
        return (change, state, summary)
    }

    /// Commands that remove what a load killed before it recorded its version added to the streams of `keys`:
    /// the entries after the parent's (from its stream time + 1) and before this load's own (`before`, so that a
    /// retried pipeline never drops what this load added), or the whole stream when the parent had none of that
    /// name. Without them, a rerun of that load would add its rows a second time. (Replace needs none: it trims
    /// every stream to its own entries.)
    private func leftoverDrops(_ keys: [[UInt8]], before milliseconds: Int64) -> [CacheCommand] {
        let after = context.parent?.metadata[CacheTableLayout.streamTimeKey].flatMap { Int64($0) }.map { $0 + 1 } ?? 0
        var seen = Set<[UInt8]>()
        return keys.compactMap { key in
            guard seen.insert(key).inserted else { return nil }
            let known = context.state.index(of: key) != nil
            let drop = CacheCommand.Operation.streamDrop(fromID: "\(after)-0", beforeID: "\(milliseconds)-0")
            return CacheCommand(key: key, operation: known ? drop : .unlink)
        }
    }

    /// The milliseconds of this load's entry ids: now, or one past the last load's when the clock is behind it.
    private func streamTime() -> Int64 {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let previous = context.parent?.metadata[CacheTableLayout.streamTimeKey].flatMap { Int64($0) } ?? 0
        return max(now, previous + 1)
    }
}
