import Foundation
import Logging
import Sluice
import Synchronization

/// A swift-log handler that writes one JSON object per line to standard error (`--log-format json`):
/// `{"timestamp":"2026-11-27T08:48:07.123Z","level":"info","label":"sluice","message":"…","metadata":{…}}`, plus
/// `error` when the event carries one and `source`, `file` and `line` at trace level.
struct JSONLogHandler: LogHandler {
    /// The logger's label.
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    /// Where lines go; standard error unless a test asks otherwise.
    let write: @Sendable (String) -> Void

    init(
        label: String,
        logLevel: Logger.Level,
        metadataProvider: Logger.MetadataProvider? = nil,
        write: @escaping @Sendable (String) -> Void = JSONLogHandler.writeToStandardError
    ) {
        self.label = label
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
        self.write = write
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, provided in provided } }
        if let own = event.metadata { merged.merge(own) { _, own in own } }
        write(Self.line(event: event, label: label, metadata: merged, timestamp: Date()))
    }

    /// The JSON text of one event, with a trailing newline.
    static func line(event: LogEvent, label: String, metadata: Logger.Metadata, timestamp: Date) -> String {
        var object = JSONObject()
        object["timestamp"] = .string(Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(timestamp))
        object["level"] = .string(event.level.rawValue)
        object["label"] = .string(label)
        object["message"] = .string(event.message.description)
        if let error = event.error { object["error"] = .string(ErrorText.oneLine(error)) }
        if !metadata.isEmpty { object["metadata"] = json(.dictionary(metadata)) }
        if event.level == .trace {
            object["source"] = .string(event.source)
            object["file"] = .string(event.file)
            object["line"] = .int(Int(event.line))
        }
        return object.text + "\n"
    }

    /// A metadata value as JSON: strings as strings, dictionaries as objects (keys sorted), arrays as arrays.
    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): return .string(text)
        case .stringConvertible(let convertible): return .string(convertible.description)
        case .array(let values): return .array(values.map(json))
        case .dictionary(let members):
            var object = JSONObject()
            for key in members.keys.sorted() { object[key] = members[key].map(json) }
            return .object(object)
        }
    }

    private static let lock = Mutex<Void>(())

    /// Writes `line` to standard error whole, one line at a time across threads.
    @Sendable static func writeToStandardError(_ line: String) {
        lock.withLock { _ in FileHandle.standardError.write(Data(line.utf8)) }
    }
}
