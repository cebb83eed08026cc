import Sluice

/// Compares two versions of a table row by row, from their manifests: files both list (same path, same writer)
/// hold the same rows in both and are skipped; the rows of the others are read and matched.
///
/// Keyed tables match rows by key: a key only in `to` is inserted, only in `from` deleted, in both with another
/// row digest updated. Keyless tables compare the two sides as multisets of row digests. Both sides are read with
/// one schema (`to`'s columns, then any only `from` has), so a column added in between reads as NULL on the side
/// without it. Memory: one entry per row of `from`'s unshared files; samples are read back in a last pass.
struct ManifestDiff: Sendable {
    let folder: TableFolder
    let from: Manifest
    let to: Manifest
    let sampleLimit: Int
    /// The columns both sides are read with.
    let schema: Schema

    init(folder: TableFolder, from: Manifest, to: Manifest, sampleLimit: Int) {
        self.folder = folder
        self.from = from
        self.to = to
        self.sampleLimit = sampleLimit
        let newer = to.version.schema
        var columns = newer.columns
        for column in from.version.schema.columns where newer.index(of: column.name) == nil {
            columns.append(Column(column.name, column.type))
        }
        let key = newer.keyColumns.isEmpty ? from.version.schema.keyColumns : newer.keyColumns
        schema = Schema(columns: columns, keyColumns: key)
    }

    /// The files of `manifest` (``from`` or ``to``) that the other one does not list.
    func unsharedFiles(of manifest: Manifest) -> [PartFile] {
        let other = manifest.version.id == from.version.id ? to : from
        let shared = Set(other.files.map { [$0.path, $0.writtenBy] })
        return manifest.files.filter { !shared.contains([$0.path, $0.writtenBy]) }
    }

    /// Reads the unshared files and counts what changed from ``from`` to ``to``.
    func run() throws -> VersionDiff {
        guard schema.keyColumns.isEmpty else {
            let encoder = KeyEncoder(schema: schema, keyColumns: schema.keyColumns)
            return try compare(keyed: true) { batch, row, _ in encoder.key(row: row, of: batch) }
        }
        return try compare(keyed: false) { _, _, digest in digest }
    }

    /// One row of `from` not matched yet: its digest, how many times it occurs (keyless tables), and where it
    /// was first read (samples of deleted rows are the earliest).
    private struct Entry {
        var digest: ContentChecksum
        var count: Int
        var sequence: Int
    }

    /// The rows of `to` matched against `from`'s: counts, and the first samples of each kind.
    private struct Matched<Identity: Hashable> {
        var inserted = 0
        var updated = 0
        var insertedSamples: [VersionDiff.Sample] = []
        var updatedSamples: [(id: Identity, sample: VersionDiff.Sample)] = []
    }

    private func compare<Identity: Hashable>(
        keyed: Bool,
        identity: (RecordBatch, Int, ContentChecksum) -> Identity
    ) throws -> VersionDiff {
        var pending = try tally(identity: identity)
        let matched = try match(&pending, keyed: keyed, identity: identity)
        let deleted =
            sampleLimit == 0 ? [] : Array(pending.sorted { $0.value.sequence < $1.value.sequence }.prefix(sampleLimit))
        let before = try rowsOfFrom(matched.updatedSamples.map(\.id) + deleted.map(\.key), identity: identity)
        var samples = matched.insertedSamples
        for (id, var sample) in matched.updatedSamples {
            sample.before = before[id]?.first
            samples.append(sample)
        }
        var deletedSamples: [VersionDiff.Sample] = []
        for (id, entry) in deleted {
            for row in (before[id] ?? []).prefix(min(entry.count, sampleLimit - deletedSamples.count)) {
                deletedSamples.append(VersionDiff.Sample(change: "deleted", row: row))
            }
        }
        return VersionDiff(
            table: to.version.table,
            from: from.version.id,
            to: to.version.id,
            inserted: matched.inserted,
            updated: matched.updated,
            deleted: pending.values.reduce(0) { $0 + $1.count },
            samples: samples + deletedSamples
        )
    }

    /// Every row of ``from``'s unshared files by identity.
    private func tally<Identity: Hashable>(
        identity: (RecordBatch, Int, ContentChecksum) -> Identity
    ) throws -> [Identity: Entry] {
        var pending: [Identity: Entry] = [:]
        var sequence = 0
        try forEachRow(of: unsharedFiles(of: from)) { batch, row, digest in
            let id = identity(batch, row, digest)
            pending[id, default: Entry(digest: digest, count: 0, sequence: sequence)].count += 1
            sequence += 1
        }
        return pending
    }

    /// Matches every row of ``to``'s unshared files against `pending`, removing the rows it matches: what is left
    /// in `pending` is deleted.
    private func match<Identity: Hashable>(
        _ pending: inout [Identity: Entry],
        keyed: Bool,
        identity: (RecordBatch, Int, ContentChecksum) -> Identity
    ) throws -> Matched<Identity> {
        var matched = Matched<Identity>()
        try forEachRow(of: unsharedFiles(of: to)) { batch, row, digest in
            let id = identity(batch, row, digest)
            guard let entry = pending[id] else {
                matched.inserted += 1
                if matched.insertedSamples.count < sampleLimit {
                    matched.insertedSamples.append(sample("inserted", row, of: batch))
                }
                return
            }
            if entry.count == 1 { pending[id] = nil } else { pending[id]?.count -= 1 }
            guard keyed, entry.digest != digest else { return }
            matched.updated += 1
            if matched.updatedSamples.count < sampleLimit {
                matched.updatedSamples.append((id, sample("updated", row, of: batch)))
            }
        }
        return matched
    }

    /// The rows of ``from``'s unshared files with the identities `wanted`, as text (a keyless table's repeated
    /// row once per occurrence, up to ``sampleLimit``).
    private func rowsOfFrom<Identity: Hashable>(
        _ wanted: [Identity],
        identity: (RecordBatch, Int, ContentChecksum) -> Identity
    ) throws -> [Identity: [[String: String?]]] {
        guard !wanted.isEmpty else { return [:] }
        let wanted = Set(wanted)
        var rows: [Identity: [[String: String?]]] = [:]
        try forEachRow(of: unsharedFiles(of: from)) { batch, row, digest in
            let id = identity(batch, row, digest)
            guard wanted.contains(id), rows[id, default: []].count < sampleLimit else { return }
            rows[id, default: []].append(values(row, of: batch))
        }
        return rows
    }

    /// Calls `body` with every row of `files` and its digest, file by file in manifest order.
    private func forEachRow(
        of files: [PartFile],
        _ body: (RecordBatch, Int, ContentChecksum) throws -> Void
    ) throws {
        let digester = RowDigester(schema: schema)
        var buffer: [UInt8] = []
        for file in files {
            var reader = try PartReader(file: file, folder: folder, schema: schema)
            while let batch = try reader.next() {
                for row in 0..<batch.count {
                    try body(batch, row, digester.digest(row: row, of: batch, buffer: &buffer))
                }
            }
        }
    }

    private func sample(_ change: String, _ row: Int, of batch: RecordBatch) -> VersionDiff.Sample {
        VersionDiff.Sample(change: change, row: values(row, of: batch))
    }

    /// Row `row` of `batch` as text by column name (`nil` for NULL).
    private func values(_ row: Int, of batch: RecordBatch) -> [String: String?] {
        var values: [String: String?] = [:]
        for (index, column) in schema.columns.enumerated() {
            values[column.name] = .some(batch.value(row: row, column: index).text)
        }
        return values
    }
}
