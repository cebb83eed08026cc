import Logging
import RESP
import Sluice
import SluiceFormats

/// One load into a keyed cache table: classifies every row against the table's key state, writes new keys as
/// the input streams in (`SET … NX`, so nothing that exists is touched), keeps changed rows until the input
/// has been read completely, then writes them, deletes what the strategy deletes, and records the new key state
/// and the version — last.
///
/// Until the input has been read completely, the load only added keys that did not exist; if the input fails
/// (a broken file, too many rejects, a duplicate key under insert-only, a conflict, a value over the maximum),
/// those keys are removed again and the table is as it was.
struct CacheLoadWriter {
    /// What the load does with a distinct key of the input.
    enum Status: UInt8 {
        /// Not in the table: inserted.
        case new
        /// In the table with another row: updated.
        case changed
        /// In the table with the same row: skipped.
        case unchanged
        /// In the table, under insert-only or a keyed append.
        case conflict
        /// Not in the table, under update-only: skipped.
        case absent
    }

    let context: CacheLoadContext
    let sender: CacheSender
    /// The input's distinct keys, and per key (by index): its status, its last row's digest and line, and its
    /// index in the table's state (-1: not there).
    var loadKeys = ByteKeyTable(capacity: 1 << 16)
    var statuses: [Status] = []
    var digests: [ContentChecksum] = []
    var lines: [Int32] = []
    var stateIndexes: [Int32] = []
    /// The last write a key needs after the input was read (the final value of a repeated key, a changed row).
    var deferred: [Int: [CacheCommand]] = [:]
    var superseded = 0
    var cursorSkipped = 0
    var retries = 0
    /// Keys this load created while reading the input (for the undo), and `SET NX` commands that met a key the
    /// table's state does not know (a crashed load's leftover): written again, plainly, after the input.
    var created: [Int32] = []
    var overwrites: [CacheCommand] = []
    var conflicts: [(key: String, line: Int)] = []
    /// Whether the load failed before writing any key that existed and took back every key it created: the table
    /// is as it was (then its mark can go).
    private(set) var leftNothing = false
    private var valueScratch: [UInt8] = []

    init(context: CacheLoadContext) {
        self.context = context
        sender = CacheSender(server: context.server, retry: context.request.retry, table: context.table)
    }

    private var strategy: LoadingStrategy { context.request.strategy }
    /// How many batches' pipelines run at once while the input is read.
    static let batchesInFlight = 3

    /// Reads and writes the whole load; returns the change and the table's new key state.
    mutating func run(_ input: RecordStream) async throws -> (TableChange, CacheTableState, PreparedInputSummary) {
        var cursor = try CursorTracker(plan: context.plan, parent: context.parent)
        let summary: PreparedInputSummary
        do {
            // The input is read, checked and digested by a task of its own (``PreparedInput``); this task
            // classifies rows and makes commands; a child task pipelines the previous batch's commands.
            summary = try await PreparedInput.run(
                input,
                schema: context.plan.preparerSchema,
                request: context.request,
                capacity: 4
            ) { channel in
                try await withThrowingTaskGroup(of: (CacheSender.Sent, CacheBatch).self) { group in
                    // Up to three batches in flight, each on a connection of the pool, so that the server always
                    // has the next batch while the last replies of one travel back. New keys are distinct, so
                    // their order across batches does not matter.
                    var inFlight = 0
                    do {
                        var renewed = ContinuousClock.now
                        while let prepared = try await channel.next() {
                            try await context.renewLockIfDue(&renewed)
                            let batch = try classify(prepared, cursor: &cursor)
                            guard !batch.isEmpty else { continue }
                            if inFlight == Self.batchesInFlight, let (sent, batch) = try await group.next() {
                                absorb(sent, batch)
                                inFlight -= 1
                            }
                            let sender = self.sender
                            group.addTask { (try await sender.send(batch), batch) }
                            inFlight += 1
                        }
                        while let (sent, batch) = try await group.next() { absorb(sent, batch) }
                    } catch {
                        // Let the pipelines in flight finish, so that the undo sees every key they created.
                        while let (sent, batch) = try? await group.next() { absorb(sent, batch) }
                        throw error
                    }
                }
                guard let summary = channel.summary else {
                    throw SluiceError(.targetFailure, "table '\(context.table)': the input ended without a summary")
                }
                return summary
            }
        } catch {
            await undo()
            throw error
        }
        do {
            if strategy == .append, try await context.isRerun(summary.inputChecksum) {
                await undo()
                var change = TableChange()
                change.isRerun = true
                return (change, context.state, summary)
            }
            if !conflicts.isEmpty && (strategy == .append || context.request.onConflict == .fail) {
                throw conflictError()
            }
        } catch {
            await undo()
            throw error
        }
        let (change, state) = try await finish(cursor: cursor)
        return (change, state, summary)
    }

    // MARK: Reading the input

    /// Classifies the rows of one batch; returns the commands that can go out now (new keys).
    private mutating func classify(_ prepared: PreparedBatch, cursor: inout CursorTracker?) throws -> CacheBatch {
        let batch = prepared.batch
        var commands = CacheBatch(isEncoded: context.server.encodesBatches, capacity: batch.count)
        var keyBytes: [UInt8] = []
        keyBytes.reserveCapacity(64)
        for row in 0..<batch.count {
            if cursor?.observe(row: row, of: batch) == true {
                cursorSkipped += 1
                continue
            }
            keyBytes.removeAll(keepingCapacity: true)
            context.renderer.append(row: row, of: batch, to: &keyBytes)
            let digest = prepared.digests[row]
            let line = batch.origin(of: row).line
            let (index, isFirst) = loadKeys.insert(keyBytes)
            guard isFirst else {
                try supersede(index, row: row, of: batch, key: keyBytes, digest: digest, line: line)
                continue
            }
            let stateIndex = context.state.index(of: keyBytes)
            digests.append(digest)
            lines.append(Int32(clamping: line))
            stateIndexes.append(Int32(stateIndex ?? -1))
            if let stateIndex {
                switch strategy {
                case .insertOnly, .append:
                    conflicts.append((describeKey(batch, row), line))
                    statuses.append(.conflict)
                default:
                    if context.state.digests[stateIndex] == digest {
                        statuses.append(.unchanged)
                        if renews(keyBytes) { deferred[index] = try update(row: row, of: batch, key: keyBytes) }
                    } else {
                        statuses.append(.changed)
                        deferred[index] = try update(row: row, of: batch, key: keyBytes)
                    }
                }
            } else if strategy == .updateOnly {
                statuses.append(.absent)
            } else {
                try writeNew(row: row, of: batch, key: keyBytes, loadIndex: index, into: &commands)
                statuses.append(.new)
            }
        }
        return commands
    }

    /// A key the input held before: insert-only and append fail; the others keep the last row.
    private mutating func supersede(
        _ index: Int,
        row: Int,
        of batch: RecordBatch,
        key: [UInt8],
        digest: ContentChecksum,
        line: Int
    ) throws {
        if strategy == .insertOnly || strategy == .append {
            throw SluiceError(
                .invalidKey,
                "\(place(batch, row)): duplicate key \(describeKey(batch, row)) in the input, "
                    + "first at line \(lines[index])"
            )
        }
        superseded += 1
        digests[index] = digest
        lines[index] = Int32(clamping: line)
        switch statuses[index] {
        case .new:
            deferred[index] = try write(row: row, of: batch, key: key, condition: .always, existing: false)
        case .changed, .unchanged:
            let same = context.state.digests[Int(stateIndexes[index])] == digest
            statuses[index] = same ? .unchanged : .changed
            deferred[index] = same && !renews(key) ? nil : try update(row: row, of: batch, key: key)
        case .conflict, .absent: break
        }
    }

    /// Adds the first write of a new key to the batch going out now: `SET … NX`, or a hash's commands.
    private mutating func writeNew(
        row: Int,
        of batch: RecordBatch,
        key: [UInt8],
        loadIndex: Int,
        into commands: inout CacheBatch
    ) throws {
        guard !context.encoder.isHash else {
            for command in try write(row: row, of: batch, key: key, condition: .ifAbsent, existing: false) {
                commands.append(command, loadIndex: loadIndex)
            }
            return
        }
        try checkNull(row: row, of: batch, key: key)
        valueScratch.removeAll(keepingCapacity: true)
        context.encoder.appendValue(row: row, of: batch, to: &valueScratch)
        try checkSize(valueScratch.count, batch: batch, row: row, key: key)
        commands.appendNewValue(
            key: key,
            value: valueScratch,
            ttl: context.target.ttl.seconds(forKey: key),
            loadIndex: loadIndex
        )
    }

    /// The commands that write row `row` as a new key (`condition` `.ifAbsent`: `SET … NX`) or over one.
    private func write(
        row: Int,
        of batch: RecordBatch,
        key: [UInt8],
        condition: CacheCommand.Condition,
        existing: Bool
    ) throws -> [CacheCommand] {
        let ttl = context.target.ttl.seconds(forKey: key)
        let keepTTL = existing && context.target.ttl.keepTTLOnUpdate
        if context.encoder.isHash {
            let fields = context.encoder.fields(row: row, of: batch)
            try checkSize(fields.reduce(0) { $0 + $1.name.count + $1.value.count }, batch: batch, row: row, key: key)
            var commands = [
                CacheCommand(key: key, operation: .unlink),
                CacheCommand(key: key, operation: .hashSet(fields: fields)),
            ]
            if let ttl, !keepTTL { commands.append(CacheCommand(key: key, operation: .expire(ttl))) }
            return commands
        }
        try checkNull(row: row, of: batch, key: key)
        var value: [UInt8] = []
        context.encoder.appendValue(row: row, of: batch, to: &value)
        try checkSize(value.count, batch: batch, row: row, key: key)
        return [
            CacheCommand(
                key: key,
                operation: .set(value: value, ttl: keepTTL ? nil : ttl, keepTTL: keepTTL, condition: condition)
            )
        ]
    }

    /// Whether an unchanged row is written anyway: when its key gets a TTL, a load renews it (a cache's keys live
    /// as long as loads keep naming them); without one, unchanged rows are not rewritten.
    private func renews(_ key: [UInt8]) -> Bool {
        !context.target.ttl.keepTTLOnUpdate && context.target.ttl.seconds(forKey: key) != nil
    }

    /// The commands that overwrite an existing key with row `row` (`SET … XX` under update-only).
    private func update(row: Int, of batch: RecordBatch, key: [UInt8]) throws -> [CacheCommand] {
        try write(
            row: row,
            of: batch,
            key: key,
            condition: strategy == .updateOnly && !context.encoder.isHash ? .ifPresent : .always,
            existing: true
        )
    }

    /// A plain string value cannot hold a NULL text column: it would read back as empty text.
    private func checkNull(row: Int, of batch: RecordBatch, key: [UInt8]) throws {
        guard let column = context.encoder.stringColumn, batch.columns[column].isNull(row) else { return }
        let type = batch.schema.columns[column].type
        guard type == .string || type == .json || type == .bytes else { return }
        throw SluiceError(
            .invalidRequest,
            "\(place(batch, row)): key \(String(decoding: key, as: UTF8.self)): column "
                + "'\(batch.schema.columns[column].name)' is NULL, which a plain string value cannot tell from "
                + "empty text (use --value-format json, msgpack or hash)"
        )
    }

    private func checkSize(_ bytes: Int, batch: RecordBatch, row: Int, key: [UInt8]) throws {
        guard bytes > context.target.maximumValueBytes else { return }
        throw SluiceError(
            .invalidRequest,
            "\(place(batch, row)): key \(String(decoding: key, as: UTF8.self)): the value has \(bytes) bytes, over "
                + "the maximum of \(context.target.maximumValueBytes) (max_value_bytes)"
        )
    }

    /// Records what a pipeline sent while reading did: its new keys, and the `SET NX` that met an existing key.
    private mutating func absorb(_ sent: CacheSender.Sent, _ batch: CacheBatch) {
        retries += sent.retries
        // A retried pipeline meets its own first writes: they are this load's keys all the same.
        let nulls = sent.retries > 0 ? [] : Set(sent.nullIndexes)
        var previous: Int32 = -1
        for (index, loadIndex) in batch.loadIndexes.enumerated() {
            if nulls.contains(index), var command = batch.setCommand(at: index),
                case .set(let value, let ttl, let keepTTL, _) = command.operation
            {
                command.operation = .set(value: value, ttl: ttl, keepTTL: keepTTL, condition: .always)
                overwrites.append(command)
            } else if loadIndex != previous {
                created.append(loadIndex)
            }
            previous = loadIndex
        }
    }

    /// Removes the keys this load created: the table is as it was before.
    private mutating func undo() async {
        leftNothing = created.isEmpty
        guard !created.isEmpty else { return }
        let commands = created.map { CacheCommand(key: Array(loadKeys.bytes(at: Int($0))), operation: .unlink) }
        do {
            _ = try await sender.sendAll(commands)
            leftNothing = true
        } catch {
            context.logger.error(
                "could not remove the keys of a failed load",
                metadata: ["table": "\(context.table)", "keys": "\(created.count)", "error": "\(error)"]
            )
        }
    }

    // MARK: After the input

    /// Writes the rest (overwrites, changed rows, deletions) and returns the change and the new key state.
    private mutating func finish(cursor: CursorTracker?) async throws -> (TableChange, CacheTableState) {
        var change = TableChange(skipped: superseded + cursorSkipped)
        // Into an empty table every key is new: the load's own key table becomes the state, without a second
        // million inserts.
        let allNew = context.state.count == 0 && strategy != .updateOnly
        var state = allNew ? CacheTableState(keys: loadKeys, digests: digests) : context.state
        var commands = overwrites
        var touched = [Bool](repeating: false, count: context.state.count)
        var updateOnlyKeys: [(command: Int, stateIndex: Int)] = []
        for index in 0..<loadKeys.count {
            let stateIndex = Int(stateIndexes[index])
            if stateIndex >= 0 { touched[stateIndex] = true }
            switch statuses[index] {
            case .new:
                change.inserted += 1
                if !allNew { state.set(Array(loadKeys.bytes(at: index)), digest: digests[index], rows: 1) }
            case .changed:
                change.updated += 1
                change.delta.subtract(context.state.digests[stateIndex])
                state.setDigest(digests[index], at: stateIndex)
            case .unchanged:
                // Unchanged, but under a TTL: written again, so that the key lives on (and is back if it expired).
                change.skipped += 1
                if let writes = deferred[index] { commands += writes }
                continue
            case .conflict, .absent:
                change.skipped += 1
                continue
            }
            change.delta.add(digests[index])
            if let writes = deferred[index] {
                if strategy == .updateOnly { updateOnlyKeys.append((commands.count, stateIndex)) }
                commands += writes
            }
        }
        let deletes = strategy == .replace || (strategy == .incremental && context.request.deleteMissing)
        if deletes {
            for stateIndex in 0..<context.state.count where context.state.isLive(stateIndex) && !touched[stateIndex] {
                change.deleted += 1
                change.delta.subtract(context.state.digests[stateIndex])
                state.remove(at: stateIndex)
                commands.append(CacheCommand(key: context.state.keyBytes(at: stateIndex), operation: .unlink))
            }
        }
        try await context.markTouching(commands)
        var renewed = ContinuousClock.now
        let sent = try await sender.sendAll(commands) { try await context.renewLockIfDue(&renewed) }
        retries += sent.retries
        let nulls = Set(sent.nullIndexes)
        // Under update-only, `SET … XX` finds no key that expired since it was loaded: it was not updated.
        for (command, stateIndex) in updateOnlyKeys where nulls.contains(command) {
            change.updated -= 1
            change.skipped += 1
            change.delta.subtract(state.digests[stateIndex])
            state.remove(at: stateIndex)
        }
        change.metadata = cursor?.metadata ?? [:]
        return (change, state)
    }

    // MARK: Messages

    private func place(_ batch: RecordBatch, _ row: Int) -> String {
        let origin = batch.origin(of: row)
        let source = origin.source.isEmpty ? "<input>" : origin.source
        return origin.line > 0 ? "\(source):\(origin.line)" : source
    }

    private func describeKey(_ batch: RecordBatch, _ row: Int) -> String {
        let parts = context.plan.keyColumns.map { column in
            "\(column)=\(batch.schema.index(of: column).flatMap { batch.value(row: row, column: $0).text } ?? "NULL")"
        }
        return "(" + parts.joined(separator: ", ") + ")"
    }

    private func conflictError() -> SluiceError {
        let head = conflicts.count == 1 ? "1 key already exists" : "\(conflicts.count) keys already exist"
        let first = conflicts.sorted { $0.line < $1.line }.prefix(3).map(\.key)
        return SluiceError(
            .keyConflict,
            "table '\(context.table)': \(head), first: \(first.joined(separator: ", "))"
        )
    }
}
