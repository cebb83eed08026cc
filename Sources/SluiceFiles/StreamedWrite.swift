import Sluice

/// The strategies without a key, which stream: `append` writes the input as new files beside the table's, and
/// `replace` makes the input the table's only files. Memory stays flat whatever the input size.
struct StreamedWrite {
    let context: FileLoadContext
    let channel: PreparedInput.Channel
    let output: PartOutput

    /// `append`: every row into new files; the table's files are kept. A rerun of an earlier append's input is
    /// undone (unless forced).
    func append(isRerun: (ContentChecksum) throws -> Bool) throws -> StrategyResult {
        let written = try drain()
        var change = TableChange()
        change.inserted = written.reduce(0) { $0 + $1.records }
        for file in written { change.delta.add(ContentChecksum(hex: file.checksum) ?? .zero) }
        if change.inserted > 0, let summary = channel.summary, try isRerun(summary.inputChecksum) {
            change.isRerun = true
        }
        return StrategyResult(change: change, files: (context.parent?.files ?? []) + written, written: written)
    }

    /// `replace` without a key: the table becomes exactly the input, unless it already holds exactly those rows.
    func replaceAll() throws -> StrategyResult {
        let written = try drain()
        var change = TableChange()
        let rows = written.reduce(0) { $0 + $1.records }
        let parentRows = context.parent?.filesRecordCount ?? 0
        if let parent = context.parent, let summary = channel.summary, rows == parentRows,
            summary.inputChecksum == parent.filesChecksum
        {
            change.skipped = rows
            return StrategyResult(change: change, files: parent.files, written: written)
        }
        change.inserted = rows
        change.deleted = parentRows
        change.absolute = channel.summary?.inputChecksum
        return StrategyResult(change: change, files: written, written: written)
    }

    /// Writes every input batch into new files; returns them.
    private func drain() throws -> [PartFile] {
        while let prepared = try channel.receive() {
            try output.write(prepared.batch, digests: prepared.digests)
        }
        return try output.finish()
    }
}
