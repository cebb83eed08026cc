import Sluice

/// The keyed strategies (insert-only, update-only, upsert, replace with a key, incremental, and append into a
/// table with a key): the input is staged in memory by partition and key (last wins), then each partition the
/// load can change is read once and rewritten into new files, or left as it is when nothing in it changed.
///
/// A row is unchanged when its digest equals the stored row's; unchanged rows are counted as skipped. The new
/// version's files are the parent's files of untouched partitions plus the rewritten partitions' new files.
///
/// Memory: the input's rows (not the table's) are held until the merge ends; for a partitioned table, only until
/// they pass ``FileOutputOptions/maximumStagedBytes``, when they spill to files and each partition's input is
/// held only while that partition is merged.
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

    /// The input, staged: the batches and, per partition, the last row of each key.
    private struct Staged {
        var batches: [RecordBatch] = []
        var digests: [[ContentChecksum]] = []
        /// Partition folder → key → row.
        var rows: [String: [[UInt8]: StagedRow]] = [:]
        /// A rough count of the bytes held, to decide when to spill.
        var bytes = 0

        /// Keeps `batch` (with its rows' digests) and returns its index.
        mutating func keep(_ batch: RecordBatch, digests: [ContentChecksum]) -> Int32 {
            batches.append(batch)
            self.digests.append(digests)
            bytes += batch.count * (batch.columns.count * 17 + 120)
            return Int32(batches.count - 1)
        }

        /// Stages row `row` of batch `batchIndex` under `key` in `partition`; returns the row it supersedes
        /// (the same key earlier in the input), if any.
        mutating func stage(
            row: Int,
            of batchIndex: Int32,
            sequence: Int,
            key: [UInt8],
            partition: String
        ) -> StagedRow? {
            let entry = StagedRow(batch: batchIndex, row: Int32(row), sequence: sequence)
            guard let earlier = rows[partition, default: [:]][key] else {
                rows[partition, default: [:]][key] = entry
                return nil
            }
            guard earlier.sequence < sequence else { return entry }
            rows[partition, default: [:]][key] = entry
            return earlier
        }
    }

    /// Where the staged input is: in memory, or spilled to files by partition once it grew past
    /// ``FileOutputOptions/maximumStagedBytes``.
    private enum StagedInput {
        case memory(Staged)
        case spilled(StagingSpill)
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
        let input = try stage(&change)
        defer { if case .spilled(let spill) = input { spill.remove() } }
        if strategy == .append, let summary = channel.summary, try isRerun(summary.inputChecksum) {
            change.isRerun = true
            return StrategyResult(change: change, files: context.parent?.files ?? [], written: [])
        }
        let existing = Dictionary(grouping: context.parent?.files ?? [], by: { $0.partition ?? "" })
        let deletesMissing = strategy == .replace || (strategy == .incremental && context.request.deleteMissing)
        var partitions: Set<String>
        switch input {
        case .memory(let staged): partitions = Set(staged.rows.keys)
        case .spilled(let spill): partitions = spill.partitions
        }
        if deletesMissing { partitions.formUnion(existing.keys) }
        var rewritten: Set<String> = []
        var conflicts: [Conflict] = []
        var conflictCount = 0
        for partition in partitions.sorted() {
            let staged: Staged
            switch input {
            case .memory(let all): staged = all
            case .spilled(let spill): staged = try restage(partition, from: spill, change: &change)
            }
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

    /// Reads the whole input, staged by partition and key; later rows replace earlier ones with the same key
    /// (counted as skipped), except under insert-only and append, where a repeated key fails the load. A
    /// partitioned table's input spills to files once it passes ``FileOutputOptions/maximumStagedBytes``, and is
    /// then staged one partition at a time.
    private func stage(_ change: inout TableChange) throws -> StagedInput {
        var staged = Staged()
        var spill: StagingSpill?
        let encoder = KeyEncoder(schema: plan.tableSchema, keyColumns: plan.keyColumns)
        var cursor = try CursorTracker(plan: plan, parent: context.parent?.version)
        var sequence = 0
        do {
            while let prepared = try channel.receive() {
                let batch = prepared.batch
                var keep = [Bool](repeating: true, count: batch.count)
                var sequences: [Int64] = []
                sequences.reserveCapacity(batch.count)
                for row in 0..<batch.count {
                    sequence += 1
                    sequences.append(Int64(sequence))
                    if cursor?.observe(row: row, of: batch) == true {
                        change.skipped += 1
                        keep[row] = false
                    }
                }
                if let spill {
                    try spill.write(batch, keep: keep, sequences: sequences, digests: prepared.digests)
                    continue
                }
                let index = staged.keep(batch, digests: prepared.digests)
                for row in 0..<batch.count where keep[row] {
                    try stageRow(
                        row,
                        of: index,
                        sequence: Int(sequences[row]),
                        in: &staged,
                        encoder: encoder,
                        change: &change
                    )
                }
                if context.partitioning != nil && staged.bytes > context.output.maximumStagedBytes {
                    let newSpill = try StagingSpill(context: context)
                    spill = newSpill
                    var picked: [Int32: [(row: Int32, sequence: Int)]] = [:]
                    for rows in staged.rows.values {
                        for entry in rows.values {
                            picked[entry.batch, default: []].append((entry.row, entry.sequence))
                        }
                    }
                    try newSpill.write(staged: staged.batches, rows: picked)
                    staged = Staged()
                }
            }
        } catch {
            spill?.remove()
            throw error
        }
        change.metadata = cursor?.metadata ?? [:]
        if let spill {
            try spill.finish()
            return .spilled(spill)
        }
        return .memory(staged)
    }

    /// Stages one row, enforcing the strategy's rule for repeated keys.
    private func stageRow(
        _ row: Int,
        of batchIndex: Int32,
        sequence: Int,
        in staged: inout Staged,
        encoder: KeyEncoder,
        change: inout TableChange
    ) throws {
        let batch = staged.batches[Int(batchIndex)]
        let key = encoder.key(row: row, of: batch)
        let partition = output.partition(ofRow: row, in: batch)
        guard
            let superseded = staged.stage(row: row, of: batchIndex, sequence: sequence, key: key, partition: partition)
        else { return }
        if strategy == .insertOnly || strategy == .append {
            let (later, earlier) =
                superseded.sequence < sequence
                ? (batch.origin(of: row), staged.batches[Int(superseded.batch)].origin(of: Int(superseded.row)))
                : (staged.batches[Int(superseded.batch)].origin(of: Int(superseded.row)), batch.origin(of: row))
            let place = (later.source.isEmpty ? "<input>" : later.source) + (later.line > 0 ? ":\(later.line)" : "")
            throw SluiceError(
                strategy == .append ? .keyConflict : .invalidKey,
                "\(place): duplicate key \(encoder.describe(row: row, of: batch)) in the input, "
                    + "first at line \(earlier.line)"
            )
        }
        change.skipped += 1
    }

    /// Stages the spilled rows of `partition`, read back from the spill files.
    private func restage(_ partition: String, from spill: StagingSpill, change: inout TableChange) throws -> Staged {
        var staged = Staged()
        let encoder = KeyEncoder(schema: plan.tableSchema, keyColumns: plan.keyColumns)
        try spill.read(partition) { batch, sequences in
            let digester = RowDigester(schema: plan.tableSchema)
            var buffer: [UInt8] = []
            let digests = (0..<batch.count).map { digester.digest(row: $0, of: batch, buffer: &buffer) }
            let index = staged.keep(batch, digests: digests)
            for row in 0..<batch.count {
                try stageRow(
                    row,
                    of: index,
                    sequence: Int(sequences[row]),
                    in: &staged,
                    encoder: encoder,
                    change: &change
                )
            }
        }
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
