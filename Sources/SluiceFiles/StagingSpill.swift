import Foundation
import Sluice
import SluiceFormats

/// A keyed load's input spilled to files, by partition: LZ4-compressed CSV of the table's columns plus each row's
/// place in the input (`_sluice_seq`) and source line (`_sluice_line`), in `TABLE/_sluice/staging-<version>/`.
/// The merge then reads back one partition's input at a time. Removed when the load ends; a killed load's spill
/// is removed by the next load.
final class StagingSpill {
    /// The partitions that have spilled rows.
    private(set) var partitions: Set<String> = []
    private let folder: TableFolder
    private let schema: Schema
    private let extended: Schema
    private let output: PartOutput
    private var files: [PartFile] = []
    /// The input sources seen, by number (`_sluice_source`).
    private var sources: [String] = []
    private var sourceNumbers: [String: Int64] = [:]

    /// The prefix of spill folders in a table's `_sluice` folder.
    static let folderPrefix = "staging-"

    init(context: FileLoadContext) throws {
        let name = Self.folderPrefix + UUIDv7.make()
        folder = try TableFolder(root: context.folder.sluiceFolder, table: name)
        schema = context.plan.tableSchema
        extended = Schema(
            columns: schema.columns + [
                Column("_sluice_seq", .int64, isNullable: false), Column("_sluice_line", .int64, isNullable: false),
                Column("_sluice_source", .int64, isNullable: false),
            ],
            keyColumns: []
        )
        var options = FileOutputOptions(format: .csv, compression: .lz4, level: nil, maximumOpenFiles: 32)
        options.isDurable = false
        output = try PartOutput(
            folder: folder,
            schema: extended,
            versionID: "spill",
            partitioning: context.partitioning,
            options: options
        )
    }

    /// Spills the rows of `batch` where `keep` is true, with their input sequence numbers.
    func write(_ batch: RecordBatch, keep: [Bool], sequences: [Int64], digests: [ContentChecksum]) throws {
        var kept = batch
        var keptSequences = sequences
        var keptDigests = digests
        if keep.contains(false) {
            kept = batch.filtered(keep)
            keptSequences = zip(sequences, keep).filter(\.1).map(\.0)
            keptDigests = zip(digests, keep).filter(\.1).map(\.0)
        }
        guard kept.count > 0 else { return }
        let lines = (0..<kept.count).map { Int64(kept.origin(of: $0).line) }
        let source =
            sourceNumbers[kept.source]
            ?? {
                sources.append(kept.source)
                sourceNumbers[kept.source] = Int64(sources.count - 1)
                return Int64(sources.count - 1)
            }()
        let columns =
            kept.columns + [
                .int64(ColumnVector(keptSequences)), .int64(ColumnVector(lines)),
                .int64(ColumnVector([Int64](repeating: source, count: kept.count))),
            ]
        let wide = RecordBatch(schema: extended, columns: columns, source: kept.source, lines: kept.lines)
        for row in 0..<wide.count { partitions.insert(output.partition(ofRow: row, in: wide)) }
        try output.write(wide, digests: keptDigests)
    }

    /// Spills `batch`'s staged rows (the last of each key) with their sequence numbers.
    func write(staged batches: [RecordBatch], rows: [Int32: [(row: Int32, sequence: Int)]]) throws {
        for (index, batch) in batches.enumerated() {
            guard let picked = rows[Int32(index)], !picked.isEmpty else { continue }
            var keep = [Bool](repeating: false, count: batch.count)
            var sequences = [Int64](repeating: 0, count: batch.count)
            for entry in picked {
                keep[Int(entry.row)] = true
                sequences[Int(entry.row)] = Int64(entry.sequence)
            }
            try write(
                batch,
                keep: keep,
                sequences: sequences,
                digests: [ContentChecksum](repeating: .zero, count: batch.count)
            )
        }
    }

    /// Completes the spill files.
    func finish() throws {
        files = try output.finish().sorted { $0.path < $1.path }
    }

    /// Reads the spilled rows of `partition` back, batch by batch, as rows of the table's schema and their input
    /// sequence numbers.
    func read(_ partition: String, _ body: (RecordBatch, [Int64]) throws -> Void) throws {
        for file in files where (file.partition ?? "") == partition {
            var reader = try PartReader(file: file, folder: folder, schema: extended)
            while let wide = try reader.next() {
                guard case .int64(let sequences) = wide.columns[schema.columns.count],
                    case .int64(let lines) = wide.columns[schema.columns.count + 1],
                    case .int64(let numbers) = wide.columns[schema.columns.count + 2]
                else { continue }
                // Rows of one source at a time, so that each batch names its source.
                var start = 0
                while start < wide.count {
                    var end = start + 1
                    while end < wide.count && numbers.values[end] == numbers.values[start] { end += 1 }
                    let range = start..<end
                    let number = Int(numbers.values[start])
                    let batch = RecordBatch(
                        schema: schema,
                        columns: Array(wide.columns.prefix(schema.columns.count)).map { $0.slice(range) },
                        source: number < sources.count ? sources[number] : "",
                        lines: lines.values[range].map { Int($0) }
                    )
                    try body(batch, Array(sequences.values[range]))
                    start = end
                }
            }
        }
    }

    /// Removes the spill folder.
    func remove() {
        output.abandon()
        Files.remove(folder.path)
    }
}
