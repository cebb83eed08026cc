/// A YAML node as the pipeline reads it: a scalar's text, a sequence or a mapping, each with its place in the
/// file. Built from Yams' composed nodes (aliases already resolved, `<<` merge keys applied), so values keep
/// their line and column for errors.
struct YAMLNode: Sendable {
    /// A mapping entry: the key's text and place, and the value.
    struct Pair: Sendable {
        var key: String
        var keyLocation: SourceLocation
        var value: YAMLNode
    }

    enum Content: Sendable {
        /// A scalar's text; `quoted` when it was written in quotes or as a block (so `null` is a string).
        case scalar(String, quoted: Bool)
        case sequence([YAMLNode])
        case mapping([Pair])
    }

    var content: Content
    var location: SourceLocation

    /// Whether this is an empty or null scalar (`~`, `null`, nothing).
    var isNull: Bool {
        guard case .scalar(let text, let quoted) = content, !quoted else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(text)
    }

    /// The mapping's entries, or `nil` when this is not a mapping.
    var pairs: [Pair]? {
        guard case .mapping(let pairs) = content else { return nil }
        return pairs
    }

    /// What this node is, for "expected …, found …" messages.
    var kindName: String {
        switch content {
        case .scalar: isNull ? "nothing" : "a scalar"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }
}
