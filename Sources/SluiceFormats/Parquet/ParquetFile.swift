import Sluice

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open Parquet file: its footer decoded and checked, its bytes read at offsets with `pread`.
final class ParquetFile {
    let path: String
    let size: Int64
    let metadata: ParquetFileMetadata
    /// The leaf columns, in file order.
    let leaves: [ParquetSchemaElement]
    /// Where column chunks may lie: after the leading magic, before the footer.
    let dataEnd: Int64
    private let file: PosixFile

    /// Opens `path` and reads its footer.
    ///
    /// - Throws: ``Sluice/SluiceError``: `io` when it cannot be read, `malformedInput` naming what is wrong.
    init(path: String) throws {
        self.path = path
        file = try PosixFile.openForReading(path)
        do {
            size = file.size() ?? 0
            guard size >= 12 else {
                throw ParquetFailure("not a Parquet file (too short for a PAR1 header and footer)")
            }
            let trailer = try Self.read(file, at: size - 8, count: 8)
            guard trailer[4...] == [0x50, 0x41, 0x52, 0x31] else {
                throw ParquetFailure("not a Parquet file (no PAR1 footer)")
            }
            guard try Self.read(file, at: 0, count: 4) == [0x50, 0x41, 0x52, 0x31] else {
                throw ParquetFailure("not a Parquet file (no PAR1 header)")
            }
            let length = Int64(trailer.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) })
            guard length > 0, length <= size - 12 else {
                throw ParquetFailure("footer length \(length) is out of range")
            }
            dataEnd = size - 8 - length
            let footer = try Self.read(file, at: dataEnd, count: Int(length))
            metadata = try footer.withParquetBytes { bytes throws(ParquetFailure) in
                try ParquetFileMetadata(decoding: bytes)
            }
            let flat = try Self.flatLeaves(metadata)
            try Self.check(metadata, leafCount: flat.count)
            // Assigned last: were every property set before a throw, the object would count as initialised and
            // `deinit` would close the descriptor a second time (closing another file's reused descriptor).
            leaves = flat
        } catch let failure as ParquetFailure {
            file.close()
            throw SluiceError(.malformedInput, "\(path): \(failure.reason)")
        } catch {
            file.close()
            throw error
        }
    }

    deinit { file.close() }

    /// Reads `count` bytes at `offset`, which must lie in the column data.
    func readData(at offset: Int64, count: Int64) throws -> [UInt8] {
        guard offset >= 4, count >= 0, offset <= dataEnd, count <= dataEnd - offset else {
            throw ParquetFailure("column chunk lies outside the file (offset \(offset), \(count) bytes)")
        }
        return try Self.read(file, at: offset, count: Int(count))
    }

    private static func read(_ file: PosixFile, at offset: Int64, count: Int) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        try bytes.withUnsafeMutableBytes { buffer in
            while done < count {
                let made = pread(file.descriptor, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if made < 0 {
                    if errno == EINTR { continue }
                    throw PosixFile.error("cannot read \(file.path)")
                }
                guard made > 0 else { throw ParquetFailure("file truncated") }
                done += made
            }
        }
        return bytes
    }

    private static func flatLeaves(_ metadata: ParquetFileMetadata) throws(ParquetFailure) -> [ParquetSchemaElement] {
        guard let root = metadata.schema.first else { throw ParquetFailure("the footer has no schema") }
        let leaves = Array(metadata.schema.dropFirst())
        guard Int(root.numChildren ?? 0) == leaves.count else {
            throw ParquetFailure("nested columns are not supported")
        }
        for leaf in leaves {
            guard (leaf.numChildren ?? 0) == 0, leaf.type != nil else {
                throw ParquetFailure("column '\(leaf.name)': nested columns are not supported")
            }
            guard leaf.repetition != 2 else {
                throw ParquetFailure("column '\(leaf.name)': repeated columns are not supported")
            }
        }
        return leaves
    }

    private static func check(_ metadata: ParquetFileMetadata, leafCount: Int) throws(ParquetFailure) {
        var rows: Int64 = 0
        for (index, rowGroup) in metadata.rowGroups.enumerated() {
            guard rowGroup.columns.count == leafCount else {
                throw ParquetFailure(
                    "row group \(index + 1) has \(rowGroup.columns.count) columns, the schema \(leafCount)"
                )
            }
            guard rowGroup.numRows >= 0 else { throw ParquetFailure("row group \(index + 1) has a negative row count") }
            rows += rowGroup.numRows
        }
        guard rows == metadata.numRows else {
            throw ParquetFailure("the row groups hold \(rows) rows, the footer says \(metadata.numRows)")
        }
    }

    /// The Sluice schema of the file: the `sluice.schema` metadata when present and matching the columns,
    /// else mapped from the physical and logical types.
    func inferredSchema() throws -> Schema {
        if let json = metadata.keyValues.first(where: { $0.key == ParquetSchemaMapping.schemaKey })?.value,
            let schema = try? CatalogJSON.decode(Schema.self, json, what: "sluice.schema"),
            schema.columnNames == leaves.map(\.name)
        {
            return schema
        }
        return Schema(
            columns: try leaves.map { leaf in
                guard let type = ParquetSchemaMapping.sluiceType(for: leaf) else {
                    throw SluiceError(.malformedInput, "\(path): column '\(leaf.name)' has a type Sluice cannot read")
                }
                return Column(leaf.name, type, isNullable: leaf.repetition != 0)
            }
        )
    }
}
