import Foundation
import Logging
import Synchronization
import Testing

@testable import SluiceCommands

/// `--log-format json`: one JSON object per line with timestamp, level, label, message and metadata.
@Suite("JSON log lines")
struct JSONLogHandlerTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    @Test func oneObjectPerLineWithMetadata() throws {
        let lines = Lines()
        var logger = Logger(label: "sluice") { label in
            JSONLogHandler(label: label, logLevel: .debug, write: lines.append)
        }
        logger[metadataKey: "load_id"] = "0193-abc"
        logger.trace("hidden")
        logger.debug("loaded \"prices\"\nfine", metadata: ["table": "prices", "counts": ["inserted": "3"]])
        #expect(lines.all.count == 1)
        let line = try #require(lines.all.first)
        #expect(line.hasSuffix("\n") && line.filter { $0 == "\n" }.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "debug")
        #expect(object["label"] as? String == "sluice")
        #expect(object["message"] as? String == "loaded \"prices\"\nfine")
        #expect((object["timestamp"] as? String)?.hasSuffix("Z") == true)
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["load_id"] as? String == "0193-abc")
        #expect(metadata["table"] as? String == "prices")
        #expect((metadata["counts"] as? [String: String])?["inserted"] == "3")
    }
}
