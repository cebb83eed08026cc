import Foundation
import Synchronization

/// Writes rejected records to a file as JSON lines:
/// `{"source":"prices.csv","line":12,"position":18,"column":"close","rule":"parse","reason":"…"}`.
///
/// The file is created on the first reject only, so a clean load leaves no empty reject file behind.
public final class RejectSink: Sendable {
    /// The reject file's path.
    public let path: String
    private let handle = Mutex<FileHandle?>(nil)

    /// A sink writing to `path` (created or truncated on the first reject).
    public init(path: String) {
        self.path = path
    }

    /// Appends `rejects` as JSON lines.
    public func write(_ rejects: [RowReject]) throws {
        guard !rejects.isEmpty else { return }
        var text = ""
        for reject in rejects { text += RejectSink.jsonLine(reject) + "\n" }
        try handle.withLock { handle in
            if handle == nil {
                guard FileManager.default.createFile(atPath: path, contents: nil) else {
                    throw SluiceError(.io, "\(path): cannot create the reject file")
                }
                handle = FileHandle(forWritingAtPath: path)
            }
            guard let handle else { throw SluiceError(.io, "\(path): cannot open the reject file") }
            try handle.write(contentsOf: Data(text.utf8))
        }
    }

    /// Flushes and closes the file.
    public func close() {
        handle.withLock { handle in
            try? handle?.synchronize()
            try? handle?.close()
            handle = nil
        }
    }

    static func jsonLine(_ reject: RowReject) -> String {
        var fields = ["\"source\":\(jsonString(reject.source))", "\"line\":\(reject.line)"]
        if reject.position > 0 { fields.append("\"position\":\(reject.position)") }
        if let column = reject.column { fields.append("\"column\":\(jsonString(column))") }
        fields.append("\"rule\":\(jsonString(reject.rule))")
        fields.append("\"reason\":\(jsonString(reject.reason))")
        return "{" + fields.joined(separator: ",") + "}"
    }
}

/// `text` as a JSON string literal.
public func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20:
            let hex = String(scalar.value, radix: 16)
            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
