import Foundation
import Sluice
import Testing

@testable import SluiceFiles

/// A table name becomes a folder name on the file target: one over the limit is refused in one line naming it,
/// before any folder is made, instead of failing part-way with `ENAMETOOLONG`.
@Suite("File target name limits")
struct FileNameLimitTests {
    @Test("200 bytes are kept; more are refused in one line naming the limit", arguments: [201, 256, 1000])
    func pathComponentLimit(bytes: Int) throws {
        let fits = String(repeating: "f", count: 200)
        #expect(try PathComponent.checked(fits, naming: "table name") == fits)
        let error = #expect(throws: SluiceError.self) {
            try PathComponent.checked(String(repeating: "f", count: bytes), naming: "table name")
        }
        let message = error?.message ?? ""
        #expect(
            message.hasSuffix(
                "' is \(bytes) bytes, longer than 200 bytes, the most Sluice allows in one file or folder name "
                    + "(file systems keep at most 255 bytes of a name, NAME_MAX)"
            ),
            "\(message)"
        )
        #expect(!message.contains("\n") && message.utf8.count < 400)
    }

    @Test("the limit is bytes of UTF-8: 100 two-byte characters fit, 101 do not")
    func multiByteNames() throws {
        #expect(throws: Never.self) { try PathComponent.checked(String(repeating: "é", count: 100), naming: "t") }
        #expect(throws: SluiceError.self) { try PathComponent.checked(String(repeating: "é", count: 101), naming: "t") }
    }

    @Test("a load, read or verify of an over-long table name is refused and leaves the target directory empty")
    func loaderRefusesBeforeTouchingDisk() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-limit-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let loader = FileLoader(directory: directory.path)
        let table = String(repeating: "t", count: 300)
        let schema = Schema(columns: [Column("symbol", .string)], keyColumns: ["symbol"])
        let stream = RecordStream(
            schema: schema,
            source: "s.csv",
            batches: [try RecordBatch(schema: schema, rows: [[.string("AAPL")]], source: "s.csv")]
        )
        let calls: [() async throws -> Void] = [
            { _ = try await loader.load(stream, request: LoadRequest(table: table, strategy: .upsert)) },
            { _ = try await loader.read(table: table) },
            { _ = try await loader.verify(table: table) },
            { _ = try await loader.versions(table: table) },
        ]
        for call in calls {
            let error = await #expect(throws: SluiceError.self) { try await call() }
            #expect(
                error?.message.contains("is 300 bytes, longer than 200 bytes") == true,
                "\(String(describing: error))"
            )
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
    }
}
