import Foundation
import Sluice
import SluiceFiles
import SluiceFormats
import SluiceTesting
import Testing

/// The unhappy paths: damaged manifests and files, bad URLs, and failing loads that must leave nothing behind.
@Suite("File target failures")
struct FileTargetFailureTests {
    @Test("a manifest that is not JSON is named in the error, and nothing is written")
    func damagedManifest() async throws {
        try await Lake.with { lake in
            let first = try await lake.load(Quotes.rows(months: 1...1), .upsert)
            let manifest = lake.folder().appendingPathComponent("_sluice/versions/\(first.version!.id).json")
            try Data("{ not json".utf8).write(to: manifest)
            let files = lake.dataFiles()
            let error = await #expect(throws: SluiceError.self) {
                try await lake.loader.load(
                    try RecordStream(schema: Quotes.schema, source: "q", rows: Quotes.rows(months: 2...2)),
                    request: LoadRequest(table: Quotes.table, strategy: .upsert, keyColumns: Quotes.key)
                )
            }
            #expect(error?.message.hasPrefix(manifest.path + ": the manifest is not valid") == true)
            #expect(lake.dataFiles() == files)
        }
    }

    @Test("a manifest from a newer sluice is refused with what to do")
    func newerManifest() async throws {
        try await Lake.with { lake in
            let first = try await lake.load(Quotes.rows(months: 1...1), .upsert)
            let path = lake.folder().appendingPathComponent("_sluice/versions/\(first.version!.id).json")
            let text = try String(contentsOf: path, encoding: .utf8)
                .replacingOccurrences(of: "\"format_version\" : 1", with: "\"format_version\" : 9")
            try text.write(to: path, atomically: true, encoding: .utf8)
            let error = await #expect(throws: SluiceError.self) { try await lake.loader.versions(table: Quotes.table) }
            #expect(
                error?.message.hasSuffix("manifest format 9 is newer than this sluice reads (1); upgrade sluice")
                    == true
            )
        }
    }

    @Test("a keyed load whose partition lost a file fails naming it, and leaves the table as it was")
    func missingDataFile() async throws {
        try await Lake.with { lake in
            try await lake.load(Quotes.rows(months: 1...2), .upsert) {
                $0.partitioning = Partitioning(column: "date", granularity: .month)
            }
            let manifest = try lake.latestManifest()
            let january = lake.folder().appendingPathComponent(manifest.files[0].path)
            try FileManager.default.removeItem(at: january)
            let error = await #expect(throws: SluiceError.self) {
                try await lake.loader.load(
                    try RecordStream(
                        schema: Quotes.schema,
                        source: "q",
                        rows: [Quotes.row("S0", "2024-01-02", "1.0000")]
                    ),
                    request: LoadRequest(table: Quotes.table, strategy: .upsert, keyColumns: Quotes.key)
                )
            }
            #expect(error?.message.contains(january.path) == true)
            let after = try lake.latestManifest()
            #expect(after == manifest)
            #expect(lake.dataFiles() == manifest.files.map(\.path).filter { $0 != manifest.files[0].path })
        }
    }

    @Test(
        "bad URL options fail with the option and what was expected",
        arguments: [
            ("file:lake?format=xml", "option format=xml: expected one of"),
            ("file:lake?compression=rar", "option compression=rar: expected one of"),
            ("file:lake?level=x", "option level=x: expected an integer"),
            ("file:lake?file_mb=0", "option file_mb=0: expected a positive integer"),
            ("file:lake?colour=red", "unknown option 'colour'"),
            ("file:lake?format=csv&compression=zstd&level=99", "zstd compression level 99 is out of range 1-22"),
            ("file:", "the file target needs a directory"),
        ]
    )
    func badURLs(url: String, message: String) async throws {
        let error = await #expect(throws: SluiceError.self) {
            try await withLoader(url, factories: [FileLoader.factory]) { _ in }
        }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "no error")")
    }

    @Test("verify and read of a table that does not exist say so")
    func missingTable() async throws {
        try await Lake.with { lake in
            let verify = await #expect(throws: SluiceError.self) { try await lake.loader.verify(table: "nope") }
            #expect(verify?.code == .notFound)
            let read = await #expect(throws: SluiceError.self) { try await lake.loader.read(table: "nope") }
            #expect(read?.code == .notFound)
            let schema = try await lake.loader.schema(of: "nope")
            let versions = try await lake.loader.versions(table: "nope")
            #expect(schema == nil)
            #expect(versions.isEmpty)
        }
    }
}
