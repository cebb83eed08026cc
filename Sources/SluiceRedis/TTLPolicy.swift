import Foundation
import Sluice

/// One TTL rule: keys matching ``pattern`` expire after ``seconds``.
public struct TTLRule: Sendable, Hashable, CustomStringConvertible {
    /// The keys the rule covers (Redis glob syntax).
    public var pattern: KeyPattern
    /// Their time to live, in seconds (> 0).
    public var seconds: Int

    /// A rule.
    public init(pattern: KeyPattern, seconds: Int) {
        self.pattern = pattern
        self.seconds = seconds
    }

    /// Parses `PATTERN=DURATION` (`price:*=300`, `company:*=1d`).
    ///
    /// - Throws: ``Sluice/SluiceError`` (`invalidRequest`) naming the text.
    public init(parsing text: String) throws {
        guard let equals = text.lastIndex(of: "="), equals != text.startIndex else {
            throw SluiceError(.invalidRequest, "TTL rule '\(text)': expected PATTERN=SECONDS (e.g. price:*=300)")
        }
        let duration = String(text[text.index(after: equals)...])
        guard let seconds = TTLPolicy.seconds(duration) else {
            throw SluiceError(
                .invalidRequest,
                "TTL rule '\(text)': '\(duration)' is not a duration above 0 (300, 300s, 5m, 2h, 1d)"
            )
        }
        self.init(pattern: KeyPattern(String(text[..<equals])), seconds: seconds)
    }

    public var description: String { "\(pattern)=\(seconds)" }
}

/// Which TTL a key gets when it is written.
///
/// Precedence: the load's own TTL (`--ttl`) over the first rule whose pattern matches the key, over the default
/// TTL; with none of them, the key does not expire. Under update-only and upsert with ``keepTTLOnUpdate``, a key
/// that exists keeps the TTL it has (`SET … KEEPTTL`).
public struct TTLPolicy: Sendable, Hashable {
    /// The TTL of keys no rule covers.
    public var defaultSeconds: Int?
    /// This load's TTL for every key it writes (`--ttl`), over the rules and the default.
    public var loadSeconds: Int?
    /// Pattern rules, first match wins.
    public var rules: [TTLRule]
    /// Keep an existing key's TTL when updating it.
    public var keepTTLOnUpdate: Bool

    /// A policy.
    public init(
        defaultSeconds: Int? = nil,
        loadSeconds: Int? = nil,
        rules: [TTLRule] = [],
        keepTTLOnUpdate: Bool = false
    ) {
        self.defaultSeconds = defaultSeconds
        self.loadSeconds = loadSeconds
        self.rules = rules
        self.keepTTLOnUpdate = keepTTLOnUpdate
    }

    /// The TTL of `key` in seconds, or `nil` for no expiry.
    public func seconds(forKey key: some Collection<UInt8>) -> Int? {
        if let loadSeconds { return loadSeconds }
        for rule in rules where rule.pattern.matches(key) { return rule.seconds }
        return defaultSeconds
    }

    /// Whether every key gets the same TTL whatever its name (no rule can apply), so it need not be matched
    /// per key.
    public var isUniform: Bool { loadSeconds != nil || rules.isEmpty }

    /// Reads rules from a file: one `PATTERN SECONDS` or `PATTERN=SECONDS` per line; `#` starts a comment.
    ///
    /// - Throws: ``Sluice/SluiceError`` naming the file and line of a bad rule.
    public static func rules(fromFile path: String) throws -> [TTLRule] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SluiceError(.io, "\(path): cannot read the TTL rules file")
        }
        var rules: [TTLRule] = []
        for (index, raw) in String(decoding: data, as: UTF8.self).split(
            separator: "\n",
            omittingEmptySubsequences: false
        ).enumerated() {
            var line = raw
            if let hash = line.firstIndex(of: "#") { line = line[..<hash] }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
            let text = fields.count == 2 ? "\(fields[0])=\(fields[1])" : trimmed
            do {
                rules.append(try TTLRule(parsing: text))
            } catch let error as SluiceError {
                throw SluiceError(.invalidRequest, "\(path):\(index + 1): \(error.message)")
            }
        }
        return rules
    }

    /// `300`, `300s`, `5m`, `2h` or `1d` in seconds, or `nil` when it is not a duration above 0.
    public static func seconds(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let last = trimmed.last else { return nil }
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        let (digits, unit) = units[last].map { (trimmed.dropLast(), $0) } ?? (Substring(trimmed), 1)
        guard let value = Int(digits), value > 0 else { return nil }
        let (seconds, overflow) = value.multipliedReportingOverflow(by: unit)
        return overflow ? nil : seconds
    }
}
