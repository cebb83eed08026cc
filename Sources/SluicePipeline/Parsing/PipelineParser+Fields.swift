import Foundation

/// A mapping's entries by key, after its keys were checked against the ones allowed.
struct Fields {
    var node: YAMLNode
    var pairs: [YAMLNode.Pair]
    /// How messages name the mapping: `job 'prices'`, `input of job 'prices'`.
    var context: String

    subscript(key: String) -> YAMLNode? {
        pairs.first { $0.key == key }.flatMap { $0.value.isNull ? nil : $0.value }
    }

    func has(_ key: String) -> Bool { self[key] != nil }
}

extension PipelineParser {
    /// `node` as a mapping whose keys are all in `allowed`; every other key is reported (with a "did you mean"),
    /// except `x-…` keys, which hold YAML anchors for reuse (`x-defaults: &defaults …`, then `<<: *defaults`).
    /// `elsewhere` names keys that belong to other kinds of job, for a clearer message.
    mutating func fields(
        _ node: YAMLNode,
        context: String,
        allowed: [String],
        elsewhere: [String: String] = [:]
    ) -> Fields? {
        guard let pairs = node.pairs else {
            diagnostics.error(node.location, "\(context): expected a mapping, found \(node.kindName)")
            return nil
        }
        for pair in pairs where !allowed.contains(pair.key) && !pair.key.hasPrefix("x-") {
            if let owner = elsewhere[pair.key] {
                diagnostics.error(pair.keyLocation, "\(context): '\(pair.key)' belongs to \(owner), not here")
            } else {
                let hint = Suggestion.didYouMean(pair.key, among: allowed)
                diagnostics.error(pair.keyLocation, "\(context): unknown key '\(pair.key)'\(hint)")
            }
        }
        return Fields(node: node, pairs: pairs, context: context)
    }

    /// A scalar's text with `${ENV}` expanded, or `nil` (with a diagnostic when it is not a scalar or a variable
    /// is missing).
    mutating func string(_ node: YAMLNode?, _ field: String, in context: String) -> Located<String>? {
        guard let node else { return nil }
        guard case .scalar(let text, let quoted) = node.content else {
            diagnostics.error(node.location, "\(context): '\(field)' must be a string, found \(node.kindName)")
            return nil
        }
        let expanded = environment.expand(text)
        for problem in expanded.problems {
            let offset = text.contains("\n") ? 0 : problem.offset + (quoted ? 1 : 0)
            diagnostics.error(node.location.movedRight(by: offset), "\(context): '\(field)': \(problem.message)")
        }
        return expanded.problems.isEmpty ? Located(expanded.text, at: node.location) : nil
    }

    /// A required string: reported as missing when absent.
    mutating func required(_ fields: Fields, _ key: String) -> Located<String>? {
        guard let node = fields[key] else {
            diagnostics.error(fields.node.location, "\(fields.context): missing '\(key)'")
            return nil
        }
        guard let value = string(node, key, in: fields.context) else { return nil }
        if value.value.isEmpty { diagnostics.error(value.location, "\(fields.context): '\(key)' is empty") }
        return value
    }

    /// A whole number within `range`.
    mutating func integer(_ fields: Fields, _ key: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = string(fields[key], key, in: fields.context) else { return nil }
        guard let value = Int(text.value.replacingOccurrences(of: "_", with: "")), range.contains(value) else {
            let bounds =
                range.upperBound == Int.max
                ? "\(range.lowerBound) or more" : "\(range.lowerBound) to \(range.upperBound)"
            diagnostics.error(
                text.location,
                "\(fields.context): '\(key)' must be a whole number, \(bounds) (found '\(text.value)')"
            )
            return nil
        }
        return value
    }

    /// `true` or `false` (also `yes`/`no`, `on`/`off`).
    mutating func boolean(_ fields: Fields, _ key: String) -> Bool? {
        guard let text = string(fields[key], key, in: fields.context) else { return nil }
        switch text.value.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            diagnostics.error(
                text.location,
                "\(fields.context): '\(key)' must be true or false (found '\(text.value)')"
            )
            return nil
        }
    }

    /// A list of strings: a YAML list of scalars, or one scalar (split on commas when `splitsCommas`).
    mutating func list(_ fields: Fields, _ key: String, splitsCommas: Bool = true) -> [Located<String>]? {
        guard let node = fields[key] else { return nil }
        let items: [YAMLNode]
        switch node.content {
        case .sequence(let nodes): items = nodes
        case .scalar: items = [node]
        case .mapping:
            diagnostics.error(node.location, "\(fields.context): '\(key)' must be a list, found a mapping")
            return nil
        }
        var result: [Located<String>] = []
        for item in items {
            guard let text = string(item, key, in: fields.context) else { continue }
            let parts = splitsCommas ? text.value.split(separator: ",").map(String.init) : [text.value]
            for part in parts {
                let trimmed = part.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty { result.append(Located(trimmed, at: text.location)) }
            }
        }
        return result
    }

    /// One of `choices` (case-insensitive), reported with a "did you mean" otherwise.
    mutating func choice(_ fields: Fields, _ key: String, among choices: [String]) -> Located<String>? {
        guard let text = string(fields[key], key, in: fields.context) else { return nil }
        let lowered = text.value.lowercased()
        guard choices.contains(lowered) else {
            let hint = Suggestion.didYouMean(text.value, among: choices)
            diagnostics.error(
                text.location,
                "\(fields.context): unknown \(key) '\(text.value)'\(hint); expected one of \(choices.joined(separator: ", "))"
            )
            return nil
        }
        return Located(lowered, at: text.location)
    }
}
