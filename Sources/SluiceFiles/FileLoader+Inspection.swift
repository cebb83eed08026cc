import Foundation
import Sluice
import SluiceFormats

extension FileLoader {
    public func schema(of table: String) async throws -> Schema? {
        try ManifestStore(folder: folder(table)).latest()?.version.schema
    }

    public func read(table: String) async throws -> RecordStream {
        let folder = try folder(table)
        guard let manifest = try ManifestStore(folder: folder).latest() else {
            throw SluiceError(.notFound, "table '\(table)' does not exist in \(target)")
        }
        try symlinks.check(partitionsOf: manifest.files, in: folder)
        return Self.stream(of: manifest.files, in: folder, schema: manifest.version.schema)
    }

    /// The rows of `files` of the table in `folder`, read one file after another.
    static func stream(of files: [PartFile], in folder: TableFolder, schema: Schema) -> RecordStream {
        RecordStream(schema: schema, source: folder.path) {
            var remaining = files[...]
            var reader: PartReader?
            return {
                while true {
                    if reader == nil {
                        guard let file = remaining.popFirst() else { return nil }
                        reader = try PartReader(file: file, folder: folder, schema: schema)
                    }
                    if let batch = try reader?.next() { return batch }
                    reader = nil
                }
            }
        }
    }

    public func versions(table: String) async throws -> [DataVersion] {
        try ManifestStore(folder: folder(table)).all().map(\.version)
    }

    /// Re-reads every file the latest manifest lists: its size and SHA-256 against the manifest, its rows'
    /// checksum against the file's entry, and the sum over all files against the version's checksum. Every
    /// mismatch is listed in ``Sluice/Verification/problems`` with the file it concerns.
    public func verify(table: String) async throws -> Verification {
        let folder = try folder(table)
        guard let manifest = try ManifestStore(folder: folder).latest() else {
            throw SluiceError(.notFound, "table '\(table)' has no versions in \(target)")
        }
        try symlinks.check(partitionsOf: manifest.files, in: folder)
        return try await Self.onWriterThread {
            try FileVerifier(folder: folder, manifest: manifest).run()
        }
    }
}

/// Re-reads a version's files and compares them with its manifest.
struct FileVerifier {
    let folder: TableFolder
    let manifest: Manifest

    func run() throws -> Verification {
        let schema = manifest.version.schema
        let digester = RowDigester(schema: schema)
        var buffer: [UInt8] = []
        var problems: [String] = []
        var total = ContentChecksum.zero
        var rows = 0
        for file in manifest.files {
            let path = folder.absolute(file.path)
            guard Files.size(path) != nil else {
                problems.append("\(path): missing")
                continue
            }
            let (sha256, bytes) = try Files.sha256(path)
            if bytes != file.bytes {
                problems.append("\(path): \(bytes) bytes, the manifest says \(file.bytes)")
            } else if sha256 != file.sha256 {
                problems.append("\(path): SHA-256 \(sha256) differs from the manifest's \(file.sha256)")
            }
            var sum = ContentChecksum.zero
            var count = 0
            do {
                var reader = try PartReader(file: file, folder: folder, schema: schema)
                while let batch = try reader.next() {
                    for row in 0..<batch.count { sum.add(digester.digest(row: row, of: batch, buffer: &buffer)) }
                    count += batch.count
                }
            } catch let error as SluiceError {
                problems.append("\(path): unreadable: \(error.message)")
                continue
            }
            if count != file.records {
                problems.append("\(path): \(count) rows, the manifest says \(file.records)")
            } else if sum.hex != file.checksum {
                problems.append("\(path): the rows' checksum \(sum.hex) differs from the manifest's \(file.checksum)")
            }
            total.add(sum)
            rows += count
        }
        return Verification(
            table: manifest.version.table,
            versionID: manifest.version.id,
            expectedChecksum: manifest.version.checksum,
            actualChecksum: total.hex,
            expectedRecordCount: manifest.version.recordCount,
            actualRecordCount: rows,
            problems: problems
        )
    }
}
