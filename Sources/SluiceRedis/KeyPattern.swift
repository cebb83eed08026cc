/// A Redis glob-style pattern (`price:*`, `user:?`, `log:[a-c]*`, `\*` for a literal star), matched on bytes
/// exactly as Redis matches `KEYS`/`SCAN MATCH` patterns.
public struct KeyPattern: Sendable, Hashable, CustomStringConvertible {
    /// The pattern's text.
    public let text: String
    private let bytes: [UInt8]

    /// A pattern.
    public init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
    }

    public var description: String { text }

    /// Whether `key` matches the pattern.
    public func matches(_ key: some Collection<UInt8>) -> Bool {
        let subject = Array(key)
        return Self.match(bytes[...], subject[...])
    }

    private static func match(_ pattern: ArraySlice<UInt8>, _ subject: ArraySlice<UInt8>) -> Bool {
        var pattern = pattern
        var subject = subject
        while let head = pattern.first {
            switch head {
            case UInt8(ascii: "*"):
                while pattern.first == UInt8(ascii: "*") { pattern = pattern.dropFirst() }
                if pattern.isEmpty { return true }
                var rest = subject
                while true {
                    if match(pattern, rest) { return true }
                    guard !rest.isEmpty else { return false }
                    rest = rest.dropFirst()
                }
            case UInt8(ascii: "?"):
                guard !subject.isEmpty else { return false }
                subject = subject.dropFirst()
                pattern = pattern.dropFirst()
            case UInt8(ascii: "["):
                guard let byte = subject.first else { return false }
                var cursor = pattern.dropFirst()
                let negated = cursor.first == UInt8(ascii: "^")
                if negated { cursor = cursor.dropFirst() }
                var matched = false
                while let item = cursor.first, item != UInt8(ascii: "]") {
                    if item == UInt8(ascii: "\\"), cursor.count > 1 {
                        cursor = cursor.dropFirst()
                        if cursor.first == byte { matched = true }
                        cursor = cursor.dropFirst()
                    } else if cursor.count > 2, cursor[cursor.startIndex + 1] == UInt8(ascii: "-"),
                        cursor[cursor.startIndex + 2] != UInt8(ascii: "]")
                    {
                        let low = min(item, cursor[cursor.startIndex + 2])
                        let high = max(item, cursor[cursor.startIndex + 2])
                        if (low...high).contains(byte) { matched = true }
                        cursor = cursor.dropFirst(3)
                    } else {
                        if item == byte { matched = true }
                        cursor = cursor.dropFirst()
                    }
                }
                guard matched != negated else { return false }
                pattern = cursor.dropFirst()
                subject = subject.dropFirst()
            case UInt8(ascii: "\\") where pattern.count > 1:
                pattern = pattern.dropFirst()
                guard subject.first == pattern.first else { return false }
                pattern = pattern.dropFirst()
                subject = subject.dropFirst()
            default:
                guard subject.first == head else { return false }
                pattern = pattern.dropFirst()
                subject = subject.dropFirst()
            }
        }
        return subject.isEmpty
    }
}
