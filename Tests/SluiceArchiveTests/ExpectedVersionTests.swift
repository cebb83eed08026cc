import Foundation
import Sluice
import SluiceTesting
import Testing

/// `LoadRequest.expectedLatestVersionID` on every source target: a load that expects another latest version changes
/// nothing and says why in one line.
@Suite("Loads that expect a latest version")
struct ExpectedVersionTests {
    @Test("a load expecting another latest version fails and changes nothing", arguments: SourceTarget.all)
    func conflict(source: SourceTarget) async throws {
        try await source.withLoader { loader in
            let first = try await loader.loadPrices(History.rows(days: 30), .upsert)
            let error = try await #require(throws: SluiceError.self) {
                try await loader.loadPrices(History.rows(days: 60), .upsert) { $0.expectedLatestVersionID = "" }
            }
            #expect(error.code == .versionConflict)
            #expect(error.message.contains("its latest version is \(first.version!.id), not none"), "\(error.message)")
            #expect(try await loader.versions(table: History.table).count == 1)
            #expect(try await loader.checksum() == first.checksum)

            let second = try await loader.loadPrices(History.rows(days: 60), .upsert) {
                $0.expectedLatestVersionID = first.version!.id
            }
            #expect(second.version?.parentID == first.version?.id)
        }
    }
}
