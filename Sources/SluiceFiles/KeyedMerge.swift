import Sluice

/// The keyed strategies (insert-only, update-only, upsert, replace with a key, incremental, and append into a
/// table with a key): the input is staged in memory by partition and key (last wins), then each partition the
/// load can change is read once and rewritten into new files, or left as it is when nothing in it changed.
///
/// A row is unchanged when its digest equals the stored row's; unchanged rows are counted as skipped. The new
/// version's files are the parent's files of untouched partitions plus the rewritten partitions' new files.
///
/// Memory: the input's rows (not the table's) are held until the merge ends.
struct KeyedMerge {
    let context: FileLoadContext
    let channel: PreparedInput.Channel
    let output: PartOutput

    /// An input row waiting to be merged: where it is and its place in the input.
    private struct StagedRow {
        var batch: Int32
        var row: Int32
        var sequence: Int
    }

    /// The input, staged.
    private struct Staged {
        var batches: [RecordBatch] = []
        var digests: [[ContentChecksum]] = []
        /// Partition folder → key → row.
        var rows: [String: [[UInt8]: StagedRow]] = [:]
    }

    /// A key that exists already, under insert-only or a keyed append.
    private struct Conflict {
        var sequence: Int
        var key: String
    }

    private var plan: LoadPlan { context.plan }
    private var strategy: LoadingStrategy { context.strategy }

    func run(isRerun: (ContentChecksum) throws -> Bool) throws -> StrategyResult {
        var change = TableChange()
        let staged = try stage(&change)
        if strategy == .append, let summary = channel.summary, try isRerun(summary.inputChecksum) {
            change.isRerun = true
            return StrategyResult(change: change, files: context.parent?.files ?? [], written: [])
        }
        let existing = Dictionary(grouping: context.parent?.files ?? [], by: { $0.partition ?? "" })
        let deletesMissing = strategy == .replace || (strategy == .incremental && context.request.deleteMissing)
        var partitions = Set(staged.rows.keys)
        if deletesMissing { partitions.formUnion(existing.keys) }
        var rewritten: Set<String> = []
        var conflicts: [Conflict] = []
        var conflictCount = 0
        for partition in partitions.sorted() {
            let changed = try merge(
                partition: partition,
                files: existing[partition] ?? [],
                input: staged.rows[partition] ?? [:],
                staged: staged,
                deletesMissing: deletesMissing,
                change: &change,
                conflicts: &conflicts,
                conflictCount: &conflictCount
            )
            if changed {
                rewritten.insert(partition)
            } else {
                output.discard(partition: partition)
            }
        }
        if conflictCount > 0 {
            if strategy == .append || context.request.onConflict == .fail {
                throw conflictError(conflicts, count: conflictCount)
            }
            change.skipped += conflictCount
        }
        let written = try output.finish()
        let kept = (context.parent?.files ?? []).filter { !rewritten.contains($0.partition ?? "") }
        return StrategyResult(change: change, files: kept + written, written: written)
    }

    // MARK: Staging

    /// Reads the whole input into memory by partition and key; later rows replace earlier ones with the same key
    /// (counted as skipped), except under insert-only and append, where a repeated key fails the load.
    private func stage(_ change: inout TableChange) throws -> Staged {
        var staged = Staged()
        let encoder = KeyEncoder(schema: plan.tableSchema, keyColumns: plan.keyColumns)
        var cursor = try CursorTracker(plan: plan, parent: context.parent?.version)
        var sequence = 0
        while let prepared = try channel.receive() {
            let batch = prepared.batch
            let batchIndex = Int32(staged.batches.count)
            staged.batches.append(batch)
            staged.digests.append(prepared.digests)
            for row in 0..<batch.count {
                sequence += 1
                if cursor?.observe(row: row, of: batch) == true {
                    change.skipped += 1
                    continue
                }
                let key = encoder.key(row: row, of: batch)
                let partition = output.partition(ofRow: row, in: batch)
                let entry = StagedRow(batch: batchIndex, row: Int32(row), sequence: sequence)
                if let earlier = staged.rows[partition, default: [:]].updateValue(entry, forKey: key) {
                    if strategy == .insertOnly || strategy == .append {
                        let origin = batch.origin(of: row)
                        let first = staged.batches[Int(earlier.batch)].origin(of: Int(earlier.row))
                        let place =
                            (origin.source.isEmpty ? "<input>" : origin.source)
                            + (origin.line > 0 ? ":\(origin.line)" : "")
                        throw SluiceError(
                            strategy == .append ? .keyConflict : .invalidKey,
                            "\(place): duplicate key \(encoder.describe(row: row, of: batch)) in the input, "
                                + "first at line \(first.line)"
                        )
                    }
                    change.skipped += 1
                }
            }
        }
        change.metadata = cursor?.metadata ?? [:]
        return staged
    }

    // MARK: Merging one partition

    /// Merges the staged rows of `partition` with its files into new files; returns whether anything changed.
    private func merge(
        partition: String,
        files: [PartFile],
        input: [[UInt8]: StagedRow],
        staged: Staged,
        deletesMissing: Bool,
        change: inout TableChange,
        conflicts: inout [Conflict],
        conflictCount: inout Int
    ) throws -> Bool {
        var pending = input
        var collector = RowCollector(schema: plan.tableSchema, partition: partition, output: output)
        let encoder = KeyEncoder(schema: plan.tableSchema, keyColumns: plan.keyColumns)
        let digester = RowDigester(schema: plan.tableSchema)
        var buffer: [UInt8] = []
        var changed = false
        let inserts = strategy != .updateOnly
        let updates = strategy != .insertOnly && strategy != .append
        for file in files {
            var reader = try PartReader(file: file, folder: context.folder, schema: plan.tableSchema)
            while let batch = try reader.next() {
                for row in 0..<batch.count {
                    let key = encoder.key(row: row, of: batch)
                    let digest = digester.digest(row: row, of: batch, buffer: &buffer)
                    guard let match = pending.removeValue(forKey: key) else {
                        if deletesMissing {
                            change.deleted += 1
                            change.delta.subtract(digest)
                            changed = true
                        } else {
                            try collector.add(row: row, of: batch, digest: digest)
                        }
                        continue
                    }
                    let newDigest = staged.digests[Int(match.batch)][Int(match.row)]
                    if !updates {
                        conflictCount += 1
                        record(
                            Conflict(sequence: match.sequence, key: encoder.describe(row: row, of: batch)),
                            in: &conflicts
                        )
                        try collector.add(row: row, of: batch, digest: digest)
                    } else if newDigest == digest {
                        change.skipped += 1
                        try collector.add(row: row, of: batch, digest: digest)
                    } else {
                        change.updated += 1
                        change.delta.subtract(digest)
                        change.delta.add(newDigest)
                        changed = true
                        try collector.add(row: Int(match.row), of: staged.batches[Int(match.batch)], digest: newDigest)
                    }
                }
            }
        }
        for match in pending.values.sorted(by: { $0.sequence < $1.sequence }) {
            guard inserts else {
                change.skipped += 1
                continue
            }
            let digest = staged.digests[Int(match.batch)][Int(match.row)]
            change.inserted += 1
            change.delta.add(digest)
            changed = true
            try collector.add(row: Int(match.row), of: staged.batches[Int(match.batch)], digest: digest)
        }
        try collector.flush()
        return changed
    }

    /// Keeps the three conflicts earliest in the input, for the error message.
    private func record(_ conflict: Conflict, in conflicts: inout [Conflict]) {
        conflicts.append(conflict)
        conflicts.sort { $0.sequence < $1.sequence }
        if conflicts.count > 3 { conflicts.removeLast() }
    }

    private func conflictError(_ conflicts: [Conflict], count: Int) -> SluiceError {
        let head = count == 1 ? "1 key already exists" : "\(count) keys already exist"
        return SluiceError(
            .keyConflict,
            "table '\(plan.table)': \(head), first: \(conflicts.map(\.key).joined(separator: ", "))"
        )
    }
}
